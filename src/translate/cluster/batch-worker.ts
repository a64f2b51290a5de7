/**
 * The worker side: a BullMQ Worker on this model's queue that translates batches with an engine
 * whose model runs in worker threads, so that this thread stays free to renew BullMQ's job locks
 * however long a batch takes. Results go to the shared memory first, then back as the job's result.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { modelKeyOf } from '../../memory/model-key.js';
import type { TranslationEngine } from '../engine.js';
import { ConnectionWatch, bounded, connectionOptions, isAuthError, openClient } from './connection.js';
import { QueueError } from './errors.js';
import { HEARTBEAT_MS, Registry } from './registry.js';
import type { RedisAddress } from './redis-url.js';
import { SharedMemory } from './shared-memory.js';
import {
  PREFIX, describeDifference, describeModel, memoryKeyWith, queueNameFor, wordsOf,
  type BatchJobData, type BatchJobResult, type WorkerIdentity,
} from './protocol.js';

/** A batch whose worker was lost is given to another worker this many times before it fails. */
const MAX_STALLED = 5;
/** A batch for another model (never expected: see protocol.ts) goes back to the queue for this long. */
const REFUSE_DELAY_MS = 5_000;

export interface BatchWorkerOptions {
  readonly address: RedisAddress;
  /** The engine; its model must run off this thread (WorkerPoolEngine). */
  readonly engine: TranslationEngine;
  /** Batches translated at once (the engine's workers). */
  readonly concurrency: number;
  readonly lockDuration: number;
  readonly stalledInterval: number;
  /** Started by a coordinator with --local-workers. */
  readonly local?: boolean;
  readonly log: (line: string) => void;
  /** Tests only: wait this long before translating each batch, so a fault can be injected mid-batch. */
  readonly holdMs?: number;
}

export interface BatchWorkerStats {
  batches: number;
  segments: number;
  fromMemory: number;
  words: number;
}

export class BatchWorker {
  readonly identity: WorkerIdentity;
  readonly queueName: string;
  readonly stats: BatchWorkerStats = { batches: 0, segments: 0, fromMemory: 0, words: 0 };
  private readonly modelKey: string;
  private readonly client: Redis;
  private readonly watch: ConnectionWatch;
  private readonly memory: SharedMemory;
  private readonly registry: Registry;
  private readonly worker: Worker<BatchJobData, BatchJobResult>;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly refusedRuns = new Set<string>();
  private closed = false;

  constructor(private readonly opts: BatchWorkerOptions) {
    this.identity = { id: randomBytes(4).toString('hex'), host: os.hostname(), pid: process.pid, local: opts.local ?? false };
    this.modelKey = modelKeyOf(opts.engine.info);
    this.queueName = queueNameFor(this.modelKey);
    this.client = openClient(opts.address);
    this.watch = new ConnectionWatch(this.client, opts.address);
    this.watch.on('lost', (reason, first) => this.log(first ? `cannot reach Redis at ${opts.address.display} (${reason}); retrying until it answers` : `lost the connection to Redis at ${opts.address.display} (${reason}); reconnecting (a batch in hand goes to another worker if its lock runs out first)`));
    this.watch.on('back', (ms) => this.log(`reconnected to Redis at ${opts.address.display} after ${(ms / 1000).toFixed(1)} s; taking batches again`));
    this.memory = new SharedMemory(this.client);
    this.registry = new Registry(this.client);
    this.worker = new Worker<BatchJobData, BatchJobResult>(this.queueName, (job, token) => this.process(job, token), {
      connection: connectionOptions(opts.address),
      prefix: PREFIX,
      name: `${this.identity.host}:${this.identity.pid}:${this.identity.id}`,
      concurrency: opts.concurrency,
      lockDuration: opts.lockDuration,
      stalledInterval: opts.stalledInterval,
      maxStalledCount: MAX_STALLED,
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 24 * 3600 },
    });
    // Connection errors are reported once by the watch; anything else is worth a line.
    this.worker.on('error', (err) => {
      if (this.watch.connected) this.log(`queue error: ${opts.address.redact(err.message)}`);
    });
    this.worker.on('failed', (job, err) => {
      if (job && !(err instanceof DelayedError)) this.log(`batch ${job.id ?? '?'} failed: ${opts.address.redact(err.message)}`);
    });
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    void this.beat();
  }

  /** Wait for Redis (as long as it takes); wrong credentials are an error at once. */
  async ready(): Promise<void> {
    try {
      await this.client.ping();
      this.log(`model ${describeModel(this.opts.engine.info)}, ${this.opts.concurrency} engine worker(s); waiting for batches on ${this.opts.address.display} (queue ${this.queueName})`);
    } catch (err) {
      await this.close(true);
      throw new QueueError(
        `Redis at ${this.opts.address.display} refused this worker: ${this.opts.address.redact(err instanceof Error ? err.message : String(err)).replace(/\.$/, '')}` +
          (isAuthError(err) ? '; check the password in --queue, REDIS_URL or queue.redis' : ''),
      );
    }
  }

  private log(line: string): void {
    this.opts.log(this.opts.address.redact(line));
  }

  private async beat(): Promise<void> {
    if (this.closed || !this.watch.connected) return;
    try {
      await this.registry.announce('worker', this.identity.id, {
        ...this.identity, modelKey: this.modelKey, model: this.opts.engine.info, concurrency: this.opts.concurrency,
      });
      for (const run of await this.registry.runs()) {
        if (run.modelKey === this.modelKey || this.refusedRuns.has(run.id)) continue;
        this.refusedRuns.add(run.id);
        this.log(`refusing the batches of the run on ${run.host} (pid ${run.pid}): they are for another model or decoding settings (${describeDifference(this.opts.engine.info, run.model)}); this worker has ${describeModel(this.opts.engine.info)}`);
      }
    } catch {
      // Redis went away between the check and the call: the watch says so.
    }
  }

  private async process(job: Job<BatchJobData, BatchJobResult>, token: string | undefined): Promise<BatchJobResult> {
    const data = job.data;
    if (data.modelKey !== this.modelKey) {
      this.log(`refusing batch ${job.id ?? '?'}: it was made for another model or decoding settings; it goes back to the queue`);
      await job.moveToDelayed(Date.now() + REFUSE_DELAY_MS, token);
      throw new DelayedError();
    }
    const startedAt = Date.now();
    this.log(`batch ${job.id ?? '?'} (${data.segments.length} segments) started${job.attemptsStarted > 1 || job.stalledCounter > 0 ? ' (again: its first worker was lost)' : ''}`);
    const key = memoryKeyWith(this.modelKey, data.options);
    const useMemory = data.memory !== false;
    const known = useMemory ? await this.memory.getMany(key, data.segments) : new Map<string, string>();
    const todo = [...new Set(data.segments.filter((s) => !known.has(s)))];
    if (this.opts.holdMs) await new Promise((r) => setTimeout(r, this.opts.holdMs));
    const outputs = todo.length > 0 ? await this.opts.engine.translate(todo, data.options) : [];
    const tokens = new Map(todo.map((s, i) => [s, outputs[i]!.generatedTokens]));
    const fresh = todo.map((s, i) => ({ source: s, target: outputs[i]!.text }));
    const stored = useMemory ? await this.memory.putMany(key, fresh) : new Map(fresh.map((e) => [e.source, e.target]));
    const finishedAt = Date.now();
    const words = wordsOf(data.segments);
    this.stats.batches++;
    this.stats.segments += data.segments.length;
    this.stats.fromMemory += data.segments.length - todo.length;
    this.stats.words += words;
    this.log(`batch ${job.id ?? '?'} done in ${((finishedAt - startedAt) / 1000).toFixed(1)} s${todo.length < data.segments.length ? ` (${data.segments.length - todo.length} from the shared memory)` : ''}`);
    return {
      targets: data.segments.map((s) => known.get(s) ?? stored.get(s)!),
      generatedTokens: data.segments.map((s) => tokens.get(s) ?? 0),
      worker: this.identity,
      startedAt,
      finishedAt,
      words,
      fromMemory: data.segments.length - todo.length,
    };
  }

  /** Stop taking batches, finish those in hand (unless `force`), leave the registry. */
  async close(force = false): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    const graceful = this.watch.connected;
    // Without Redis a polite close would wait for it; unfinished batches go to another worker anyway.
    await bounded(this.worker.close(force || !graceful), graceful && !force ? 24 * 3600_000 : 5_000);
    if (graceful) await bounded(this.registry.withdraw('worker', this.identity.id), 2_000);
    await bounded(this.worker.disconnect(), 2_000);
    this.watch.removeAllListeners();
    this.client.disconnect();
  }
}
