/**
 * From configuration to a coordinator engine on the queue, with `--local-workers N` engine
 * workers of this machine taking batches from the same queue (a worker like any other).
 */
import type { Config } from '../../config/schema.js';
import type { Progress } from '../../model/progress-bar.js';
import { loadModelIdentity } from '../model-identity.js';
import { prepareEngineOptions } from '../open-engine.js';
import { WorkerPoolEngine } from '../worker-pool.js';
import { BatchWorker } from './batch-worker.js';
import { QueueEngine } from './queue-engine.js';
import type { RedisAddress } from './redis-url.js';
import type { ClusterSnapshot } from './tally.js';

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
