/**
 * From configuration to a coordinator engine on the queue, with `--local-workers N` engine
 * workers of this machine taking batches from the same queue (a worker like any other).
 */
import type { Config } from '../../config/schema.js';
import type { TranslationEngine } from '../engine.js';
import { QueueError } from './errors.js';
import { chooseRedisUrl, parseRedisUrl } from './redis-url.js';
import type { Progress } from '../../progress.js';
import { loadModelIdentity } from '../model-identity.js';
import { prepareEngineOptions } from '../open-engine.js';
import { WorkerPoolEngine } from '../worker-pool.js';
import { BatchWorker } from './batch-worker.js';
import { QueueEngine } from './queue-engine.js';
import type { RedisAddress } from './redis-url.js';
import type { ClusterSnapshot } from './tally.js';

export interface QueueChoice {
  readonly address: RedisAddress;
  readonly localWorkers: number;
}

/**
 * The queue is used when `queue` (--queue) is given or queue.redis is set (REDIS_URL alone does
 * not turn a local run into a cluster run); the address is `queue`, else REDIS_URL, else queue.redis.
 */
export function queueChoice(queue: string | undefined, localWorkers: number | undefined, config: Config, env: NodeJS.ProcessEnv = process.env): QueueChoice | undefined {
  if (queue === undefined && config.queue.redis.trim() === '') {
    if (localWorkers !== undefined && localWorkers > 0) throw new QueueError('local workers (--local-workers) need a queue: give --queue redis://HOST:PORT (without a queue, use --concurrency N)');
    return undefined;
  }
  const chosen = chooseRedisUrl(queue, env, config.queue.redis);
  if (!chosen) throw new QueueError('the queue needs an address, e.g. --queue redis://127.0.0.1:6379');
  return { address: parseRedisUrl(chosen.url, chosen.where), localWorkers: localWorkers ?? 0 };
}

/** The run, or the queue's fatal error when Redis stays away past queue.reconnect_limit. */
export function unlessQueueFails<T>(engine: TranslationEngine, run: Promise<T>): Promise<T> {
  return engine instanceof QueueEngine ? Promise.race([run, engine.failure]) : run;
}

/** Summary lines about the cluster (workers, retried batches, refusals); undefined for a local run. */
export function clusterSummary(engine: TranslationEngine): string[] | undefined {
  return engine instanceof QueueEngine ? engine.tally.summaryLines(engine.info) : undefined;
}

export interface OpenClusterOptions {
  readonly baseDir: string;
  readonly address: RedisAddress;
  /** Engine workers of this machine that take batches too; 0 = coordinate only. */
  readonly localWorkers: number;
  readonly log: (line: string) => void;
  readonly progress?: Progress;
  readonly onStatus?: (snapshot: ClusterSnapshot) => void;
}

export async function openCoordinator(config: Config, opts: OpenClusterOptions): Promise<QueueEngine> {
  const engineOptions = await prepareEngineOptions(config, { baseDir: opts.baseDir, log: opts.log, ...(opts.progress ? { progress: opts.progress } : {}) });
  const identity = await loadModelIdentity(engineOptions);
  const q = config.queue;
  const engine = new QueueEngine({
    address: opts.address,
    identity,
    batchesInFlight: q.batches_in_flight,
    reconnectLimit: q.reconnect_limit,
    noWorkerWarning: q.no_worker_warning,
    useMemory: config.memory.enabled,
    log: opts.log,
    ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
  });
  try {
    await engine.ready();
    if (opts.localWorkers > 0) {
      const pool = await WorkerPoolEngine.load({ ...engineOptions, hash: identity.info.hash }, opts.localWorkers);
      const local = new BatchWorker({
        address: opts.address,
        engine: pool,
        concurrency: opts.localWorkers,
        lockDuration: q.lock_duration,
        stalledInterval: q.stalled_interval,
        local: true,
        log: (l) => opts.log(`local worker: ${l}`),
      });
      await local.ready();
      engine.alsoClose(async () => {
        await local.close(true);
        await pool.dispose();
      });
    }
  } catch (err) {
    await engine.dispose();
    throw err;
  }
  return engine;
}
