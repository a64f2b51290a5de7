/**
 * The coordinator's engine: the pipeline's length-sorted batches go to a BullMQ queue instead of
 * a local model, and come back as job results. Behind the TranslationEngine interface, so the
 * pipeline (memory, guards, outputs, manifest) is the same as on one machine.
 *
 * Before a batch is sent, the shared memory in Redis is asked for its segments; only the rest is
 * sent. Results are read from QueueEvents 'completed', and checked every few seconds against the
 * jobs themselves, so that a missed event or a Redis that lost its data (a restart without
 * persistence) costs a resend, never a hang.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { modelKeyOf } from '../../memory/model-key.js';
import type { ModelInfo } from '../../types.js';
import type { EngineOutput, EngineStats, TranslateOptions, TranslationEngine } from '../engine.js';
import type { ModelIdentity } from '../model-identity.js';
import { ConnectionWatch, bounded, connectionOptions, isAuthError, openClient } from './connection.js';
import { QueueError } from './errors.js';
import { HEARTBEAT_MS, Registry } from './registry.js';
import type { RedisAddress } from './redis-url.js';
import { SharedMemory } from './shared-memory.js';
import { ClusterTally, type ClusterSnapshot } from './tally.js';
import {
  JOB_NAME, PREFIX, batchJobId, describeModel, memoryKeyWith, queueNameFor,
  type BatchJobData, type BatchJobResult,
} from './protocol.js';

/** How often jobs still out are checked against Redis (missed events, lost jobs). */
const RECONCILE_MS = 3_000;
const KEEP_JOBS = { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 24 * 3600 } } as const;

export interface QueueEngineOptions {
  readonly address: RedisAddress;
  readonly identity: ModelIdentity;
  /** Batches out at once (the pipeline's concurrency). */
  readonly batchesInFlight: number;
  readonly reconnectLimit: number;
  readonly noWorkerWarning: number;
  /** False (--no-memory): neither ask nor fill the shared memory. */
  readonly useMemory?: boolean;
  readonly log: (line: string) => void;
  /** The cluster part of the progress line, updated about once a second. */
  readonly onStatus?: (snapshot: ClusterSnapshot) => void;
}

interface Outstanding {
  readonly data: BatchJobData;
  readonly waiters: Array<{ resolve: (r: BatchJobResult) => void; reject: (e: Error) => void }>;
  active: boolean;
  sentAt: number;
}

export class QueueEngine implements TranslationEngine {
  readonly info: ModelInfo;
  readonly maxInputTokens: number;
  readonly workers: number;
  readonly tally = new ClusterTally();
  /** Rejects with a QueueError when Redis stays away past queue.reconnect_limit; never resolves. */
  readonly failure: Promise<never>;
  private readonly runId = randomBytes(4).toString('hex');
  private readonly modelKey: string;
  private readonly queueName: string;
  private readonly tokenizer: PreTrainedTokenizer;
  private readonly client: Redis;
  private readonly watch: ConnectionWatch;
  private readonly memory: SharedMemory;
  private readonly registry: Registry;
  private readonly queue: Queue<BatchJobData, BatchJobResult>;
  private readonly events: QueueEvents;
  private readonly outstanding = new Map<string, Outstanding>();
  private readonly timer: NodeJS.Timeout;
  private fail!: (err: QueueError) => void;
  private fatal = false;
  private closed = false;
  private calls = 0;
  private workersConnected = 0;
  private noWorkerSince: number | undefined;
  private warnedNoWorker = false;
  private lastReconcile = 0;
  private ticking = false;
  private readonly closers: Array<() => Promise<void>> = [];

  constructor(private readonly opts: QueueEngineOptions) {
    this.info = opts.identity.info;
    this.maxInputTokens = opts.identity.maxInputTokens;
    this.tokenizer = opts.identity.tokenizer;
    this.workers = opts.batchesInFlight;
    this.modelKey = modelKeyOf(this.info);
    this.queueName = queueNameFor(this.modelKey);
    this.failure = new Promise<never>((_, reject) => (this.fail = reject));
    this.failure.catch(() => undefined);
    this.client = openClient(opts.address);
    this.watch = new ConnectionWatch(this.client, opts.address);
    const limit = `${Math.round(opts.reconnectLimit / 1000)} s`;
    this.watch.on('lost', (reason, first) => this.log(`${first ? 'cannot reach' : 'lost the connection to'} Redis at ${opts.address.display} (${reason}); waiting up to ${limit} for it (queue.reconnect_limit)`));
    this.watch.on('back', (ms) => {
      this.log(`reconnected to Redis at ${opts.address.display} after ${(ms / 1000).toFixed(1)} s; going on`);
      this.lastReconcile = 0;
    });
    this.memory = new SharedMemory(this.client);
    this.registry = new Registry(this.client);
    const connection = connectionOptions(opts.address);
    this.queue = new Queue<BatchJobData, BatchJobResult>(this.queueName, { connection, prefix: PREFIX, defaultJobOptions: { attempts: 1, ...KEEP_JOBS } });
    this.events = new QueueEvents(this.queueName, { connection, prefix: PREFIX });
    // Connection errors are told once by the watch; the clients retry on their own.
    this.queue.on('error', () => undefined);
    this.events.on('error', () => undefined);
    this.events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, returnvalue as unknown as BatchJobResult));
    this.events.on('failed', ({ jobId, failedReason }) => this.reject(jobId, new Error(`batch ${jobId} failed on its worker: ${opts.address.redact(failedReason)}`)));
    this.events.on('active', ({ jobId }) => {
      const o = this.outstanding.get(jobId);
      if (!o) return;
      o.active = true;
      this.workerSeen('a worker took a batch');
    });
    this.events.on('stalled', ({ jobId }) => {
      const o = this.outstanding.get(jobId);
      if (!o) return;
      o.active = false;
      this.tally.retried.add(jobId);
      this.log(`batch ${jobId} lost its worker; BullMQ put it back in the queue for another worker`);
    });
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
    this.log(`coordinator: model ${describeModel(this.info)}; batches go to ${opts.address.display} (queue ${this.queueName})`);
  }

  /** Wait for Redis before the run starts; past the reconnect limit, a QueueError. */
  async ready(): Promise<void> {
    try {
      await Promise.race([this.client.ping(), this.failure]);
    } catch (err) {
      if (err instanceof QueueError) throw err;
      throw new QueueError(
        `Redis at ${this.opts.address.display} refused this run: ${this.opts.address.redact(err instanceof Error ? err.message : String(err)).replace(/\.$/, '')}` +
          (isAuthError(err) ? '; check the password in --queue, REDIS_URL or queue.redis' : ''),
      );
    }
  }

  countTokens(text: string): number {
    return this.tokenizer.encode(text).length;
  }

  async translate(segments: readonly string[], options: TranslateOptions = {}): Promise<EngineOutput[]> {
    if (segments.length === 0) return [];
    this.calls++;
    const key = memoryKeyWith(this.modelKey, options);
    const known = this.opts.useMemory === false ? new Map<string, string>() : await this.untilFatal(this.memory.getMany(key, segments));
    const missing = [...new Set(segments.filter((s) => !known.has(s)))];
    this.tally.sharedMemoryHits += segments.length - missing.length;
    const tokens = new Map<string, number>();
    if (missing.length > 0) {
      const result = await this.untilFatal(this.send(missing, options));
      missing.forEach((s, i) => {
        known.set(s, result.targets[i]!);
        tokens.set(s, result.generatedTokens[i] ?? 0);
      });
    }
    return segments.map((s) => ({ text: known.get(s)!, generatedTokens: tokens.get(s) ?? 0 }));
  }

  /**
   * After a fatal queue error nothing settles: a rejection would make the pipeline write files
   * with failed segments, while the run is being stopped (see `failure`) to be resumed instead.
   */
  private untilFatal<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      p.then((v) => !this.fatal && resolve(v), (e: unknown) => !this.fatal && reject(e instanceof Error ? e : new Error(String(e))));
    });
  }

  private send(segments: string[], options: TranslateOptions): Promise<BatchJobResult> {
    const id = batchJobId(this.modelKey, options, segments);
    return new Promise<BatchJobResult>((resolve, reject) => {
      const existing = this.outstanding.get(id);
      if (existing) {
        existing.waiters.push({ resolve, reject });
        return;
      }
      const data: BatchJobData = { modelKey: this.modelKey, options, segments, run: this.runId, ...(this.opts.useMemory === false ? { memory: false } : {}) };
      this.outstanding.set(id, { data, waiters: [{ resolve, reject }], active: false, sentAt: Date.now() });
      this.tally.sent();
      this.queue.add(JOB_NAME, data, { jobId: id }).catch((err: unknown) => this.reject(id, err instanceof Error ? err : new Error(String(err))));
    });
  }

  private settle(jobId: string, result: BatchJobResult | null | undefined): void {
    const o = this.outstanding.get(jobId);
    if (!o || !result || !Array.isArray(result.targets) || result.targets.length !== o.data.segments.length) return;
    this.outstanding.delete(jobId);
    this.tally.finished(result);
    for (const w of o.waiters) w.resolve(result);
  }

  private reject(jobId: string, err: Error): void {
    const o = this.outstanding.get(jobId);
    if (!o) return;
    this.outstanding.delete(jobId);
    for (const w of o.waiters) w.reject(err);
  }

  private log(line: string): void {
    this.opts.log(this.opts.address.redact(line));
  }

  private async tick(): Promise<void> {
    if (this.closed || this.fatal) return;
    // Checked before anything else: a tick in progress may be waiting for Redis itself.
    if (!this.watch.connected) {
      if (this.watch.downMs() > this.opts.reconnectLimit) this.stop();
      return;
    }
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.registry.announce('run', this.runId, { id: this.runId, host: os.hostname(), pid: process.pid, modelKey: this.modelKey, model: this.info });
      await this.checkWorkers();
      if (Date.now() - this.lastReconcile >= RECONCILE_MS) {
        this.lastReconcile = Date.now();
        await this.reconcile();
      }
      this.opts.onStatus?.(this.snapshot());
    } catch {
      // Redis went away mid-tick: the watch tells, the next tick sees it.
    } finally {
      this.ticking = false;
    }
  }

  snapshot(): ClusterSnapshot {
    let inFlight = 0;
    for (const o of this.outstanding.values()) if (o.active) inFlight++;
    return { workersConnected: this.workersConnected, waiting: this.outstanding.size - inFlight, inFlight, wordsPerSecond: this.tally.wordsPerSecond() };
  }

  private async checkWorkers(): Promise<void> {
    const all = await this.registry.workers();
    const mine = all.filter((w) => w.modelKey === this.modelKey);
    for (const w of all) {
      if (w.modelKey === this.modelKey || this.tally.refused.has(w.id)) continue;
      this.tally.refused.set(w.id, w);
      this.log(`worker ${w.host} (pid ${w.pid}) has another model or decoding settings (${describeModel(w.model)}) and refuses this run's batches`);
    }
    this.workersConnected = mine.length;
    if (mine.length > 0) {
      this.workerSeen(`worker connected: ${mine.map((w) => `${w.host} (pid ${w.pid})`).join(', ')}`);
      return;
    }
    if (this.outstanding.size === 0) return;
    this.noWorkerSince ??= Date.now();
    if (!this.warnedNoWorker && Date.now() - this.noWorkerSince >= this.opts.noWorkerWarning) {
      this.warnedNoWorker = true;
      this.log(`no worker is connected to ${this.opts.address.display} for model ${describeModel(this.info)}; ${this.outstanding.size} batches wait. Start one on any machine with the same model and settings: dwibahasa worker --queue ${this.opts.address.display} (or rerun with --local-workers N). Still waiting.`);
    }
  }

  /** After a "no worker" warning, say once that one came. */
  private workerSeen(what: string): void {
    this.noWorkerSince = undefined;
    if (!this.warnedNoWorker) return;
    this.warnedNoWorker = false;
    this.log(`${what}; going on`);
  }

  /** Jobs out for a while: finished without our seeing the event, failed, or lost by Redis. */
  private async reconcile(): Promise<void> {
    let resent = 0;
    for (const [id, o] of [...this.outstanding]) {
      if (Date.now() - o.sentAt < RECONCILE_MS) continue;
      const job = await this.queue.getJob(id);
      if (job) {
        const state = await job.getState();
        if (state === 'completed') this.settle(id, job.returnvalue);
        else if (state === 'failed') this.reject(id, new Error(`batch ${id} failed on its worker: ${this.opts.address.redact(job.failedReason)}`));
        continue;
      }
      // Gone: removed after completion (its results are in the shared memory) or lost with Redis's data.
      const key = memoryKeyWith(this.modelKey, o.data.options);
      const stored = o.data.memory === false ? new Map<string, string>() : await this.memory.getMany(key, o.data.segments);
      if (stored.size === new Set(o.data.segments).size) {
        const targets = o.data.segments.map((s) => stored.get(s)!);
        this.outstanding.delete(id);
        for (const w of o.waiters) w.resolve({ targets, generatedTokens: targets.map(() => 0), worker: { id: 'memory', host: 'shared memory', pid: 0, local: false }, startedAt: o.sentAt, finishedAt: Date.now(), words: 0, fromMemory: targets.length });
        continue;
      }
      o.sentAt = Date.now();
      o.active = false;
      resent++;
      await this.queue.add(JOB_NAME, o.data, { jobId: id });
    }
    if (resent > 0) {
      this.tally.resent += resent;
      this.log(`${resent} batches were no longer in Redis (restarted without its data?); sent them again`);
    }
  }

  private stop(): void {
    this.fatal = true;
    const secs = Math.round(this.watch.downMs() / 1000);
    this.fail(
      new QueueError(
        `Redis at ${this.opts.address.display} has been unreachable for ${secs} s (queue.reconnect_limit is ${this.opts.reconnectLimit} ms; last error: ${this.watch.reason}). ` +
          'The run stops here: every finished translation is kept in the memory and every finished file is written; run the same command again once Redis is back, and it resumes.',
      ),
    );
  }

  async stats(): Promise<EngineStats> {
    return { ortMs: 0, calls: this.calls, workers: this.workers };
  }

  /** Also close `fn` (local workers) on dispose, before the queue. */
  alsoClose(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const graceful = this.watch.connected;
    for (const fn of this.closers) await bounded(fn(), 5_000);
    if (graceful) await bounded(this.registry.withdraw('run', this.runId), 2_000);
    // With Redis gone, a polite close would wait for it: only cut the connections.
    if (graceful) await bounded(Promise.all([this.events.close(), this.queue.close()]), 5_000);
    await bounded(Promise.all([this.events.disconnect(), this.queue.disconnect()]), 2_000);
    this.watch.removeAllListeners();
    this.client.disconnect();
  }
}
