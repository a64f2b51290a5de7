/** `dwibahasa worker --queue redis://HOST:PORT[/DB]`: translate batches from the queue until stopped. */
import { loadConfig } from '../config/load.js';
import { resolveModelsRoot } from '../model/models-root.js';
import { UsageError } from '../errors.js';
import { BatchWorker } from '../translate/cluster/batch-worker.js';
import { chooseRedisUrl, parseRedisUrl, redactUserInfo } from '../translate/cluster/redis-url.js';
import { prepareEngineOptions, workerCount } from '../translate/open-engine.js';
import { WorkerPoolEngine } from '../translate/worker-pool.js';
import { applyModelOption } from '../config/model-option.js';
import type { Command } from './command.js';
import type { ParsedArgs } from './options.js';
import { exitWhenIdle } from './queue-option.js';

/** Tests only: hold every batch this long before translating it, so that a fault lands mid-batch. */
const HOLD_ENV = 'DWIBAHASA_TEST_HOLD_BATCH_MS';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'many machines: translate batches from a Redis queue until stopped (see README "Many machines")',
  usage: '--queue redis://HOST:PORT[/DB] [options]',
  options: [
    { name: 'queue', short: 'q', kind: 'string', value: 'URL', default: 'REDIS_URL, else queue.redis of the config', help: 'the queue (redis:// or rediss://)' },
    { name: 'config', short: 'c', kind: 'string', value: 'FILE', default: './config.yaml when present', help: 'configuration file' },
    { name: 'model', short: 'm', kind: 'string', value: 'ID|FOLDER', default: 'Xenova/opus-mt-id-en', help: 'model id in the models folder, or a model folder' },
    { name: 'dtype', kind: 'string', value: 'q8|fp32', default: 'q8', help: 'model weights' },
    { name: 'concurrency', kind: 'string', value: 'N', default: 'one per core', help: 'engine workers (batches at once)' },
    { name: 'threads', kind: 'string', value: 'N', default: '1', help: 'ONNX Runtime threads per worker' },
    { name: 'beams', kind: 'string', value: 'N', default: "the model's num_beams", help: 'beam width (must match the coordinator)' },
    { name: 'set', kind: 'string', multiple: true, value: 'KEY=VALUE', help: 'set any config key' },
  ],
  notes: 'Ctrl-C finishes the batches in hand, then stops (twice: at once; the queue gives unfinished batches to another worker).',
  run: runWorker,
};

function setOverrides(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`worker: --set wants KEY=VALUE, got "${v}"`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

async function runWorker(args: ParsedArgs): Promise<number> {
  const values = args.values as { queue?: string; config?: string; model?: string; dtype?: string; concurrency?: string; threads?: string; beams?: string; set?: string[] };
  const positionals = args.positionals;
  if (positionals.length > 0) throw new UsageError(`worker: unexpected argument "${redactUserInfo(positionals[0]!)}"; the worker takes its work from the queue`);
  const overrides = setOverrides(values.set);
  for (const [name, key] of [['dtype', 'model.dtype'], ['concurrency', 'engine.workers'], ['threads', 'engine.threads'], ['beams', 'decoding.beams']] as const) {
    const v = values[name];
    if (v !== undefined) overrides[key] = v;
  }
  if (values.model !== undefined) overrides['model.id'] = values.model;
  const loaded = loadConfig(values.config, overrides);
  const { config, baseDir } = loaded;
  // The same models folder as translate's, so a worker started anywhere finds the model the coordinator uses.
  config.model.dir = resolveModelsRoot(loaded).dir;
  applyModelOption(config, values.model);
  const chosen = chooseRedisUrl(values.queue, process.env, config.queue.redis);
  if (!chosen) throw new UsageError('worker: give the queue with --queue redis://HOST:PORT[/DB] (or REDIS_URL, or queue.redis in the config)');
  const address = parseRedisUrl(chosen.url, chosen.where);
  const log = (line: string): void => void process.stderr.write(`${new Date().toISOString()} worker: ${address.redact(line)}\n`);

  const engineOptions = await prepareEngineOptions(config, { baseDir, log });
  const concurrency = workerCount(config);
  // Always worker threads, even for one: ONNX Runtime blocks its thread during a model call, and
  // this thread must stay free to renew BullMQ's job locks.
  const engine = await WorkerPoolEngine.load(engineOptions, concurrency);
  const hold = Number(process.env[HOLD_ENV] ?? 0);
  const worker = new BatchWorker({
    address,
    engine,
    concurrency,
    lockDuration: config.queue.lock_duration,
    stalledInterval: config.queue.stalled_interval,
    log,
    ...(hold > 0 ? { holdMs: hold } : {}),
  });
  try {
    await worker.ready();
  } catch (err) {
    await engine.dispose();
    exitWhenIdle();
    throw err;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log(`${signal}: finishing the batches in hand, then stopping (send it again to stop at once; BullMQ gives unfinished batches to another worker)`);
  const again = (): void => {
    log('stopping now');
    process.exit(130);
  };
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  await worker.close();
  await engine.dispose();
  exitWhenIdle();
  log(`stopped after ${worker.stats.batches} batches (${worker.stats.segments} segments, ${worker.stats.fromMemory} of them from the shared memory)`);
  return 0;
}
