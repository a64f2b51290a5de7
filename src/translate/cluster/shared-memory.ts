/**
 * The translation memory of the whole cluster, in Redis: a sentence translated by any machine
 * serves every later run on every machine. Keyed like the local SQLite memory (memoryKey over the
 * model key, retry options included, and the source); the source is stored with the target and
 * checked on every read.
 *
 * First write wins (SET NX) and writers read back what is stored: a batch done twice (BullMQ
 * delivers at least once) is stored once, and both deliveries answer with the same text.
 */
import type { Redis } from 'ioredis';
import { memoryKey } from '../../memory/memory.js';
import { PREFIX } from './protocol.js';

const PUT_AND_READ = `
local out = {}
for i, k in ipairs(KEYS) do
  redis.call('SET', k, ARGV[i], 'NX')
  out[i] = redis.call('GET', k)
end
return out`;

function redisKey(key: string, source: string): string {
  return `${PREFIX}:memory:${memoryKey(key, source).toString('hex')}`;
}

function decode(value: string | null, source: string): string | undefined {
  if (value === null) return undefined;
  try {
    const pair = JSON.parse(value) as unknown;
    if (Array.isArray(pair) && pair[0] === source && typeof pair[1] === 'string') return pair[1];
  } catch {
    // A value that is not ours is treated as missing and never overwritten (NX).
  }
  return undefined;
}

export class SharedMemory {
  constructor(private readonly client: Redis) {}

  async getMany(key: string, sources: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(sources)];
    const found = new Map<string, string>();
    if (unique.length === 0) return found;
    const values = await this.client.mget(unique.map((s) => redisKey(key, s)));
    unique.forEach((s, i) => {
      const t = decode(values[i] ?? null, s);
      if (t !== undefined) found.set(s, t);
    });
    return found;
  }

  /** Store translations unless already stored; returns what the memory holds for each source. */
  async putMany(key: string, entries: ReadonlyArray<{ source: string; target: string }>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (entries.length === 0) return out;
    const stored = (await this.client.eval(
      PUT_AND_READ,
      entries.length,
      ...entries.map((e) => redisKey(key, e.source)),
      ...entries.map((e) => JSON.stringify([e.source, e.target])),
    )) as Array<string | null>;
    entries.forEach((e, i) => out.set(e.source, decode(stored[i] ?? null, e.source) ?? e.target));
    return out;
  }
}
