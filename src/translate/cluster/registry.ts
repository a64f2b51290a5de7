/**
 * Who is connected: each worker and each coordinator keeps a key with a short expiry in Redis and
 * renews it; an entry whose key expired is gone. Expiry is Redis's clock, so machines' clocks
 * need not agree.
 */
import type { Redis } from 'ioredis';
import { PREFIX, type RunAnnouncement, type WorkerAnnouncement } from './protocol.js';

/** How often entries are renewed; they expire after three missed renewals. */
export const HEARTBEAT_MS = 1_000;
const TTL_MS = HEARTBEAT_MS * 3;

type Kind = 'worker' | 'run';

export class Registry {
  constructor(private readonly client: Redis) {}

  async announce(kind: Kind, id: string, entry: WorkerAnnouncement | RunAnnouncement): Promise<void> {
    await this.client.multi().set(`${PREFIX}:${kind}:${id}`, JSON.stringify(entry), 'PX', TTL_MS).sadd(`${PREFIX}:${kind}s`, id).exec();
  }

  async withdraw(kind: Kind, id: string): Promise<void> {
    await this.client.multi().del(`${PREFIX}:${kind}:${id}`).srem(`${PREFIX}:${kind}s`, id).exec();
  }

  workers(): Promise<WorkerAnnouncement[]> {
    return this.list<WorkerAnnouncement>('worker');
  }

  runs(): Promise<RunAnnouncement[]> {
    return this.list<RunAnnouncement>('run');
  }

  private async list<T>(kind: Kind): Promise<T[]> {
    const ids = await this.client.smembers(`${PREFIX}:${kind}s`);
    if (ids.length === 0) return [];
    const values = await this.client.mget(ids.map((id) => `${PREFIX}:${kind}:${id}`));
    const gone = ids.filter((_, i) => values[i] === null);
    if (gone.length > 0) await this.client.srem(`${PREFIX}:${kind}s`, ...gone);
    const out: T[] = [];
    for (const v of values) {
      if (v === null) continue;
      try {
        out.push(JSON.parse(v) as T);
      } catch {
        // Not ours: ignore.
      }
    }
    return out;
  }
}
