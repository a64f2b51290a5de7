/** `translate --queue URL [--local-workers N]`: the coordinator's part of the translate command. */
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { Progress } from '../model/progress-bar.js';
import type { TranslationEngine } from '../translate/engine.js';
import { openCoordinator as open } from '../translate/cluster/open-cluster.js';
import { QueueEngine } from '../translate/cluster/queue-engine.js';
import { chooseRedisUrl, parseRedisUrl, type RedisAddress } from '../translate/cluster/redis-url.js';
import { ClusterTally } from '../translate/cluster/tally.js';
import type { RunReporter } from './report.js';

export interface QueueChoice {
  readonly address: RedisAddress;
  readonly localWorkers: number;
}

/**
 * The queue is used when --queue is given or queue.redis is set (REDIS_URL alone does not turn a
 * local run into a cluster run); the address is --queue, else REDIS_URL, else queue.redis.
 */
export function queueChoice(flag: string | undefined, localWorkers: string | undefined, config: Config): QueueChoice | undefined {
  if (flag === undefined && config.queue.redis.trim() === '') {
    if (localWorkers !== undefined) throw new UsageError('translate: --local-workers needs --queue redis://HOST:PORT (without a queue, use --concurrency N)');
    return undefined;
  }
  const chosen = chooseRedisUrl(flag, process.env, config.queue.redis);
  if (!chosen) throw new UsageError('translate: --queue needs an address, e.g. --queue redis://127.0.0.1:6379');
  let n = 0;
  if (localWorkers !== undefined) {
    if (!/^\d+$/.test(localWorkers) || Number(localWorkers) > 64) throw new UsageError(`translate: --local-workers wants a whole number from 0 to 64, got "${localWorkers}"`);
    n = Number(localWorkers);
  }
  return { address: parseRedisUrl(chosen.url, chosen.where), localWorkers: n };
}

export function openCoordinator(config: Config, choice: QueueChoice, opts: { baseDir: string; progress?: Progress; log: (l: string) => void }, reporter: RunReporter): Promise<TranslationEngine> {
  return open(config, {
    baseDir: opts.baseDir,
    address: choice.address,
    localWorkers: choice.localWorkers,
    log: opts.log,
    ...(opts.progress ? { progress: opts.progress } : {}),
    onStatus: (s) => reporter.status(ClusterTally.statusText(s)),
  });
}

/** The run, or the queue's fatal error when Redis stays away past queue.reconnect_limit. */
export function unlessQueueFails<T>(engine: TranslationEngine, run: Promise<T>): Promise<T> {
  if (!(engine instanceof QueueEngine)) return run;
  return Promise.race([run, engine.failure]);
}

/** Summary lines about the cluster (workers, retried batches, refusals); none for a local run. */
export function clusterReport(engine: TranslationEngine): string[] {
  return engine instanceof QueueEngine ? engine.tally.summaryLines(engine.info) : [];
}

/**
 * Once a queue command has finished, nothing may keep the process alive: BullMQ's connections to
 * a Redis that went away keep retrying until closed, and a polite close waits for Redis. The
 * timer does not itself hold the process; it only ends one that something else holds.
 */
export function exitWhenIdle(): void {
  setTimeout(() => process.exit(typeof process.exitCode === 'number' ? process.exitCode : 2), 3_000).unref();
}
