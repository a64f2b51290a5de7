/**
 * Connections to Redis that never give up on their own: BullMQ needs maxRetriesPerRequest null
 * (commands wait for the connection instead of failing), and ioredis reconnects with a capped
 * backoff. Whether waiting has lasted too long is the caller's decision (ConnectionWatch).
 */
import { EventEmitter } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisAddress } from './redis-url.js';

/** Most time between two reconnection attempts. */
const MAX_BACKOFF_MS = 2_000;

/** ioredis options in the shape BullMQ's typings accept (a retry strategy that is never null). */
export type QueueConnection = Omit<RedisOptions, 'retryStrategy'> & { retryStrategy: (times: number) => number };

export function connectionOptions(address: RedisAddress): QueueConnection {
  return {
    ...address.options,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    retryStrategy: (times: number) => Math.min(200 * times, MAX_BACKOFF_MS),
  };
}

export function openClient(address: RedisAddress): Redis {
  return new Redis(connectionOptions(address));
}

export interface WatchEvents {
  /** The connection was lost (`first`: never made); `reason` is redacted. */
  lost: [reason: string, first: boolean];
  /** Ready again after `downMs` without Redis. */
  back: [downMs: number];
}

/**
 * Follows one client's state and tells when Redis went away and came back, once each time, with
 * the reason (ECONNREFUSED, WRONGPASS…) already stripped of any secret.
 */
export class ConnectionWatch extends EventEmitter<WatchEvents> {
  private downSince: number | undefined = Date.now();
  private lastReason = 'not connected yet';
  private announced = false;
  private everReady = false;

  constructor(
    private readonly client: Redis,
    private readonly address: RedisAddress,
  ) {
    super();
    client.on('ready', () => {
      this.everReady = true;
      const since = this.downSince;
      this.downSince = undefined;
      if (since !== undefined && this.announced) this.emit('back', Date.now() - since);
      this.lastReason = 'connection closed';
      this.announced = false;
    });
    client.on('error', (err: Error) => {
      this.lastReason = address.redact(err.message);
      this.markDown();
    });
    // Before the first connection only an error is news: "close" is part of connecting.
    client.on('close', () => this.everReady && this.markDown());
    client.on('end', () => this.everReady && this.markDown());
  }

  /** Milliseconds Redis has been unreachable; 0 while connected. */
  downMs(): number {
    return this.downSince === undefined ? 0 : Date.now() - this.downSince;
  }

  get connected(): boolean {
    return this.client.status === 'ready';
  }

  get reason(): string {
    return this.lastReason;
  }

  get display(): string {
    return this.address.display;
  }

  private markDown(): void {
    if (this.client.status === 'ready') return;
    this.downSince ??= Date.now();
    if (this.announced) return;
    // Announce on the next turn, so that the error event with the reason is seen first.
    this.announced = true;
    setImmediate(() => {
      if (this.downSince !== undefined) this.emit('lost', this.lastReason.replace(/\.$/, ''), !this.everReady);
    });
  }
}

/**
 * Wait for `p` at most `ms`: closing a client politely waits for Redis, which may be gone for
 * good. Whatever is left is cut by the caller's disconnect.
 */
export async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** Redis answered, but refuses these credentials: waiting will not help. */
export function isAuthError(err: unknown): boolean {
  return err instanceof Error && /WRONGPASS|NOAUTH|invalid password|invalid username/i.test(err.message);
}
