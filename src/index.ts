/**
 * dwibahasa as a library: `import { translate } from 'dwibahasa'`.
 *
 * `translate()` does what `dwibahasa translate` does (the CLI calls it): it takes the output
 * folder's lock, opens the model, the translation memory and the run manifest, runs the pipeline
 * and writes the bilingual files, then closes everything again, also when it fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { OutputError } from './errors.js';
import { sweepStaleTemps } from './runstate/sweep.js';
import { explainMkdirError, reasonFor } from './write/atomic.js';
import { createGuard } from './guards/guard.js';
import { TranslationMemory } from './memory/memory.js';
import { modelKeyOf } from './memory/model-key.js';
import { openRunManifest } from './pipeline/manifest-adapter.js';
import { resolveRunConfig, type RunConfigOptions } from './pipeline/run-config.js';
import { runPipeline, type FileOutcome, type RunSummary } from './pipeline/run.js';
import type { Progress } from './progress.js';
import { acquireLock } from './runstate/lock.js';
import type { EngineStats, TranslateOptions as DecodeOptions } from './translate/engine.js';
import { openEngine } from './translate/open-engine.js';
import { clusterSummary, openCoordinator, queueChoice, unlessQueueFails } from './translate/cluster/open-cluster.js';
import type { ClusterSnapshot } from './translate/cluster/tally.js';
import type { TranslationStore } from './translate/queue.js';

export type { Config } from './config/schema.js';
export type { FileOutcome, RunSummary } from './pipeline/run.js';
export type { EngineStats } from './translate/engine.js';
export type { Progress, ProgressUpdate } from './progress.js';
export type { FileStatus, OutputFormat, SegmentFlag, Dtype } from './types.js';
export {
  DwibahasaError,
  ConfigError,
  FetchError,
  InputFileError,
  ModelError,
  OutputError,
  RunStateError,
  StorageError,
  UsageError,
} from './errors.js';

export type { ConfigOverrides } from './pipeline/run-config.js';
export { planTranslation, type DryRunFile, type DryRunResult } from './pipeline/dry-run.js';
export { terminalSafe } from './safe-text.js';

/** Counts so far, as the `progress` event gives them. */
export interface ProgressCounts {
  /** Files (and problems, which count as failed files) in all; undefined while still counting. */
  readonly filesFound: number | undefined;
  readonly filesStarted: number;
  readonly filesFinished: number;
  /** Files whose segment count is known (queued, skipped or failed). */
  readonly filesPlanned: number;
  readonly segmentsQueued: number;
  /** Segments translated, found in the memory or failed so far, as batches come back. */
  readonly segmentsFinished: number;
}

/** What happens during a run, in order for each file: file-start, then file-done or file-failed. */
export type TranslateEvent =
  | { readonly type: 'file-start'; readonly input: string }
  | { readonly type: 'file-done'; readonly outcome: FileOutcome }
  | { readonly type: 'file-failed'; readonly outcome: FileOutcome }
  /** After every file event, every file's segments queued and every batch back: counts so far. */
  | ({ readonly type: 'progress' } & ProgressCounts)
  /** A note on the model being opened (a download, a preparation step). */
  | { readonly type: 'log'; readonly message: string }
  /** Something wrong that does not stop the run (an unusable run manifest moved aside). */
  | { readonly type: 'warning'; readonly message: string }
  /** Something to know that is not wrong ("x is a symbolic link to y", temp files of a killed run removed). */
  | { readonly type: 'note'; readonly message: string }
  /** With a queue, about once a second: workers connected, batches waiting and in flight, words/s. */
  | ({ readonly type: 'cluster' } & ClusterSnapshot);

export interface TranslateOptions extends RunConfigOptions {
  /** Redo every file, even when its outputs are current. */
  readonly force?: boolean;
  /** Move an unusable translation memory aside and start a fresh one. */
  readonly resetMemory?: boolean;
  /**
   * Stops the run early: no new file is started, the files in flight are finished and written,
   * and the result has `aborted: true`. Already aborted at the call: rejects with its reason.
   */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TranslateEvent) => void;
  /** Where a model download or preparation shows its progress; none when absent. */
  readonly modelProgress?: Progress;
  /**
   * Many machines: the Redis of the BullMQ queue (redis://[:PASSWORD@]HOST:PORT[/DB], rediss://);
   * REDIS_URL, else queue.redis, when only the config asks for a queue. See README "Many machines".
   */
  readonly queue?: string;
  /** With a queue: engine workers of this machine that take batches too (default 0). */
  readonly localWorkers?: number;
}

export interface TranslateResult extends RunSummary {
  /** Time inside ONNX Runtime and model calls, where the engine reports them. */
  readonly engine?: EngineStats;
  /** True when `signal` stopped the run before every input was processed. */
  readonly aborted: boolean;
  /** The translation memory file used, if any: what was translated is kept there. */
  readonly memoryPath: string | undefined;
  /** With a queue: the cluster's summary (each worker's batches and words/s, retried batches, refused workers). */
  readonly cluster?: readonly string[];
}

/** Translate `inputs` into `out`; resolves with what became of each file (a failed file does not reject). */
export async function translate(options: TranslateOptions): Promise<TranslateResult> {
  options.signal?.throwIfAborted();
  // Usage, config and model errors come first: nothing is written before they are ruled out.
  const { config, baseDir, outDir, memoryPath } = resolveRunConfig(options);
  const emit = options.onEvent ?? ((): void => {});
  const warn = (message: string): void => emit({ type: 'warning', message });
  const log = (message: string): void => emit({ type: 'log', message });
  const note = (message: string): void => emit({ type: 'note', message });
  const engineOptions = { baseDir, ...(options.modelProgress ? { progress: options.modelProgress } : {}), log };
  const queue = queueChoice(options.queue, options.localWorkers, config);
  const engine = await (queue
    ? openCoordinator(config, { ...engineOptions, ...queue, onStatus: (s) => emit({ type: 'cluster', ...s }) })
    : openEngine(config, engineOptions));
  let lock: Awaited<ReturnType<typeof acquireLock>> | undefined;
  let memory: TranslationMemory | undefined;
  try {
    try {
      mkdirSync(path.join(outDir, '.dwibahasa'), { recursive: true });
    } catch (err) {
      const cause = explainMkdirError(err, path.join(outDir, '.dwibahasa'));
      throw new OutputError(`cannot create the output folder ${outDir}: ${reasonFor(cause)}`, outDir, { cause });
    }
    lock = await acquireLock(outDir);
    // Under the lock no other run writes here: temp files of a killed run can go.
    const swept = await sweepStaleTemps(outDir);
    if (swept.removed.length > 0) note(`removed ${swept.removed.length} temp file(s) left by an interrupted run`);
    const modelKey = modelKeyOf(engine.info);
    let store: TranslationStore | undefined;
    let retryStore: ((o: DecodeOptions) => TranslationStore) | undefined;
    if (config.memory.enabled) {
      memory = TranslationMemory.open(memoryPath, { reset: Boolean(options.resetMemory) });
      const m = memory;
      const storeFor = (key: string): TranslationStore => ({ getMany: (s) => m.getMany(key, s), putMany: (e) => m.putMany(key, [...e]) });
      store = storeFor(modelKey);
      retryStore = (o) => storeFor(`${modelKey}|retry:${JSON.stringify(o)}`);
    } else if (existsSync(memoryPath)) {
      // Without the memory no stored machine translation is used; a person's corrections still are.
      memory = TranslationMemory.open(memoryPath);
    }
    const manifest = await openRunManifest(outDir, { modelKey, info: engine.info, config, force: Boolean(options.force) });
    for (const w of manifest.warnings) warn(w);
    const counts = { filesFound: undefined as number | undefined, filesStarted: 0, filesFinished: 0, filesPlanned: 0, segmentsQueued: 0, segmentsFinished: 0 };
    const planned = new Set<string>();
    const plan = (input: string): void => {
      planned.add(input);
      counts.filesPlanned = planned.size;
    };
    const progress = (): void => emit({ type: 'progress', ...counts });
    // On a queue, Redis gone past queue.reconnect_limit stops the run (a rerun resumes).
    const summary = await unlessQueueFails(engine, runPipeline({
      inputs: options.inputs,
      outDir,
      config,
      engine,
      ...(store ? { store } : {}),
      ...(retryStore ? { retryStore } : {}),
      ...(memory ? { human: memory } : {}),
      formats: config.output.formats,
      events: {
        onDiscovered: (n) => {
          counts.filesFound = n;
          progress();
        },
        onFileQueued: (input) => {
          counts.filesStarted++;
          emit({ type: 'file-start', input });
          progress();
        },
        onSegmentsQueued: (n, input) => {
          counts.segmentsQueued += n;
          plan(input);
          progress();
        },
        onSegmentsDone: (n) => {
          counts.segmentsFinished += n;
          progress();
        },
        onFileDone: (outcome) => {
          manifest.record(outcome);
          counts.filesFinished++;
          plan(outcome.input);
          emit({ type: outcome.status === 'failed' ? 'file-failed' : 'file-done', outcome });
          progress();
        },
        onNote: (p, n) => note(`${p} ${n}`),
      },
      incremental: manifest,
      ownership: manifest,
      ...(config.guards.enabled ? { guard: createGuard(config, engine) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    }));
    await manifest.finish();
    const engineStats = await engine.stats?.();
    const cluster = clusterSummary(engine);
    return {
      ...summary,
      ...(engineStats ? { engine: engineStats } : {}),
      aborted: options.signal?.aborted ?? false,
      memoryPath: config.memory.enabled ? memoryPath : undefined,
      ...(cluster ? { cluster } : {}),
    };
  } finally {
    memory?.close();
    await engine.dispose();
    await lock?.release();
  }
}
