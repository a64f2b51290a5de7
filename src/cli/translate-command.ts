/** `dwibahasa translate`: the thin shell around the pipeline. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { OutputError, UsageError } from '../errors.js';
import { TranslationMemory, modelKeyOf } from '../memory/index.js';
import { createProgress } from '../model/progress-bar.js';
import { runPipeline, type RunSummary } from '../pipeline/run.js';
import type { EngineStats, TranslateOptions } from '../translate/engine.js';
import { writeFileAtomic } from '../write/atomic.js';
import { acquireLock } from '../runstate/lock.js';
import { openRunManifest } from '../pipeline/manifest-adapter.js';
import { openEngine } from '../translate/open-engine.js';
import type { TranslationStore } from '../translate/queue.js';
import { createGuard } from '../guards/index.js';
import { applyModelFlag, parse, setOverrides } from './args.js';
import { clusterReport, exitWhenIdle, openCoordinator, queueChoice, unlessQueueFails } from './queue-option.js';
import { RunReporter } from './report.js';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  config: { type: 'string', short: 'c' },
  model: { type: 'string', short: 'm' },
  dtype: { type: 'string' },
  formats: { type: 'string', short: 'f' },
  concurrency: { type: 'string' },
  threads: { type: 'string' },
  'batch-size': { type: 'string' },
  beams: { type: 'string' },
  force: { type: 'boolean' },
  'no-memory': { type: 'boolean' },
  'reset-memory': { type: 'boolean' },
  set: { type: 'string', multiple: true },
  queue: { type: 'string', short: 'q' },
  'local-workers': { type: 'string' },
  // For the benchmark: machine-readable run statistics.
  'stats-json': { type: 'string' },
} as const;

export async function translateCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, 'translate');
  if (positionals.length === 0) throw new UsageError('translate: give at least one file or folder to translate');
  if (values.out === undefined) throw new UsageError('translate: --out DIR is required (the folder for the bilingual files)');
  const overrides = setOverrides(values.set);
  const flag = (name: string, key: string): void => {
    const v = values[name as keyof typeof values];
    if (typeof v === 'string') overrides[key] = v;
  };
  flag('model', 'model.id');
  flag('dtype', 'model.dtype');
  flag('formats', 'output.formats');
  flag('concurrency', 'engine.workers');
  flag('threads', 'engine.threads');
  flag('batch-size', 'queue.batch_size');
  flag('beams', 'decoding.beams');
  if (values['no-memory']) overrides['memory.enabled'] = 'false';
  const { config, baseDir } = loadConfig(values.config, overrides);
  applyModelFlag(config, values.model);
  const queue = queueChoice(values.queue, values['local-workers'], config);

  const outDir = path.resolve(values.out);
  try {
    mkdirSync(path.join(outDir, '.dwibahasa'), { recursive: true });
  } catch (err) {
    throw new OutputError(`cannot create the output folder ${outDir}: ${(err as Error).message}`, outDir, { cause: err });
  }
  const lock = await acquireLock(outDir);
  const isTTY = Boolean(process.stderr.isTTY);
  const reporter = new RunReporter({ stream: process.stderr, isTTY });
  let memory: TranslationMemory | undefined;
  const engineOpts = { baseDir, progress: createProgress({ stream: process.stderr, isTTY }), log: (l: string) => reporter.line(l) };
  const coordinator = queue ? openCoordinator(config, queue, engineOpts, reporter) : undefined;
  const engine = await (coordinator ?? openEngine(config, engineOpts)).catch(async (err: unknown) => {
    await lock.release();
    if (queue) exitWhenIdle();
    throw err;
  });
  try {
    const modelKey = modelKeyOf(engine.info);
    let store: TranslationStore | undefined;
    let retryStore: ((options: TranslateOptions) => TranslationStore) | undefined;
    if (config.memory.enabled) {
      const file = memoryPath(config, outDir, baseDir);
      memory = TranslationMemory.open(file, { reset: Boolean(values['reset-memory']) });
      const m = memory;
      const storeFor = (key: string): TranslationStore => ({ getMany: (s) => m.getMany(key, s), putMany: (e) => m.putMany(key, [...e]) });
      store = storeFor(modelKey);
      retryStore = (options) => storeFor(`${modelKey}|retry:${JSON.stringify(options)}`);
    }
    const manifest = await openRunManifest(outDir, { modelKey, info: engine.info, config, force: Boolean(values.force) });
    for (const w of manifest.warnings) reporter.line(`warning: ${w}`);
    const run = runPipeline({
      inputs: positionals,
      outDir,
      config,
      engine,
      ...(store ? { store } : {}),
      ...(retryStore ? { retryStore } : {}),
      formats: config.output.formats,
      events: {
        onFileQueued: () => reporter.onFileQueued(),
        onSegmentsQueued: (n) => reporter.onSegmentsQueued(n),
        onFileDone: (o) => {
          reporter.onFileDone(o);
          manifest.record(o);
        },
      },
      incremental: manifest,
      ...(config.guards.enabled ? { guard: createGuard(config, engine) } : {}),
    });
    // On the queue, a Redis gone past queue.reconnect_limit stops the run (a rerun resumes).
    const summary = await unlessQueueFails(engine, run);
    await manifest.finish();
    reporter.finish(summary, outDir);
    for (const l of clusterReport(engine)) reporter.line(l);
    if (values['stats-json'] !== undefined) {
      const engineStats = await engine.stats?.();
      await writeFileAtomic(values['stats-json'], JSON.stringify(runStats(summary, engineStats), null, 2) + '\n');
    }
    return summary.files.some((f) => f.status === 'failed') ? 1 : 0;
  } finally {
    memory?.close();
    await engine.dispose();
    await lock.release();
    if (queue) exitWhenIdle();
  }
}

/** The numbers the benchmark reads from a run. */
export function runStats(summary: RunSummary, engine: EngineStats | undefined): Record<string, number> {
  const files = summary.files;
  const workers = engine?.workers ?? 1;
  return {
    files_done: files.filter((f) => f.status === 'done').length,
    files_failed: files.filter((f) => f.status === 'failed').length,
    files_skipped: files.filter((f) => f.status === 'skipped').length,
    segments: files.reduce((n, f) => n + f.segments, 0),
    source_words: files.reduce((n, f) => n + f.words, 0),
    segments_translated: summary.queue.segmentsTranslated,
    model_calls: summary.queue.modelCalls,
    engine_calls: engine?.calls ?? 0,
    generated_tokens: summary.queue.generatedTokens,
    elapsed_ms: summary.elapsedMs,
    ort_ms: engine?.ortMs ?? 0,
    workers,
    ort_time_share: engine ? engine.ortMs / (summary.elapsedMs * workers) : 0,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

function memoryPath(config: Config, outDir: string, baseDir: string): string {
  return config.memory.path === '' ? path.join(outDir, '.dwibahasa', 'memory.sqlite') : path.resolve(baseDir, config.memory.path);
}
