/**
 * dwibahasa as a library: `import { translate } from 'dwibahasa'`.
 *
 * `translate()` does what `dwibahasa translate` does (the CLI calls it): it takes the output
 * folder's lock, opens the model, the translation memory and the run manifest, runs the pipeline
 * and writes the bilingual files, then closes everything again, also when it fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config/load.js';
import { applyModelOption } from './config/model-option.js';
import type { Config } from './config/schema.js';
import { ConfigError, OutputError } from './errors.js';
import { checkOutFolder } from './pipeline/out-folder.js';
import { sweepStaleTemps } from './runstate/sweep.js';
import { explainMkdirError, reasonFor } from './write/atomic.js';
import { createGuard } from './guards/guard.js';
import { TranslationMemory } from './memory/memory.js';
import { memoryPath } from './memory/memory-path.js';
import { modelKeyOf } from './memory/model-key.js';
import { openRunManifest } from './pipeline/manifest-adapter.js';
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

/**
 * Settings that replace the config file's, section by section, checked by the same rules
 * (e.g. `{ decoding: { beams: 1 }, output: { formats: ['md', 'json'] } }`).
 */
export type ConfigOverrides = {
  readonly [S in Exclude<keyof Config, 'glossary' | 'glossary_file'>]?: { readonly [K in keyof Config[S]]?: Config[S][K] };
} & {
  /** Replaces the config file's glossary (Indonesian term → wanted English). */
  readonly glossary?: Readonly<Record<string, string>>;
  /** A glossary file (.tsv, .csv, .yaml), relative to the config file's folder. */
  readonly glossary_file?: string;
};

/** What happens during a run, in order for each file: file-start, then file-done or file-failed. */
export type TranslateEvent =
  | { readonly type: 'file-start'; readonly input: string }
  | { readonly type: 'file-done'; readonly outcome: FileOutcome }
  | { readonly type: 'file-failed'; readonly outcome: FileOutcome }
  /** After every file event and every batch of segments queued: counts so far. */
  | { readonly type: 'progress'; readonly filesStarted: number; readonly filesFinished: number; readonly segmentsQueued: number; readonly segmentsFinished: number }
  /** A note on the model being opened (a download, a preparation step). */
  | { readonly type: 'log'; readonly message: string }
  /** Something wrong that does not stop the run (an unusable run manifest moved aside). */
  | { readonly type: 'warning'; readonly message: string }
  /** Something to know that is not wrong ("x is a symbolic link to y", temp files of a killed run removed). */
  | { readonly type: 'note'; readonly message: string }
  /** With a queue, about once a second: workers connected, batches waiting and in flight, words/s. */
  | ({ readonly type: 'cluster' } & ClusterSnapshot);

export interface TranslateOptions {
  /** Files and folders to translate. */
  readonly inputs: readonly string[];
  /** Output folder for the bilingual files (created when missing). */
  readonly out: string;
  /** Configuration file; when absent, ./config.yaml if there is one (as the CLI), else the defaults. */
  readonly configFile?: string;
  /** Settings over the config file's. */
  readonly config?: ConfigOverrides;
  /**
   * Settings as dotted keys with text values, as `--set KEY=VALUE` takes them
   * (`{ 'queue.batch_size': '8' }`); `config` and `model` win over these.
   */
  readonly settings?: Readonly<Record<string, string>>;
  /** Model id under the models folder, or a model folder (relative to the current directory). */
  readonly model?: string;
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
  /** With a queue: the cluster's summary (each worker's batches and words/s, retried batches, refused workers). */
  readonly cluster?: readonly string[];
}

/** Translate `inputs` into `out`; resolves with what became of each file (a failed file does not reject). */
export async function translate(options: TranslateOptions): Promise<TranslateResult> {
  options.signal?.throwIfAborted();
  const { config, baseDir } = loadConfig(options.configFile, overridesOf(options));
  if (options.config?.glossary !== undefined) config.glossary = { ...options.config.glossary };
  applyModelOption(config, options.model);
  const emit = options.onEvent ?? ((): void => {});
  const warn = (message: string): void => emit({ type: 'warning', message });
  const log = (message: string): void => emit({ type: 'log', message });

  const outDir = path.resolve(options.out);
  // Before anything is written: an output folder that is (or holds) an input folder is refused.
  checkOutFolder(options.inputs, outDir);
  try {
    mkdirSync(path.join(outDir, '.dwibahasa'), { recursive: true });
  } catch (err) {
    const cause = explainMkdirError(err, path.join(outDir, '.dwibahasa'));
    throw new OutputError(`cannot create the output folder ${outDir}: ${reasonFor(cause)}`, outDir, { cause });
  }
  const lock = await acquireLock(outDir);
  const note = (message: string): void => emit({ type: 'note', message });
  let memory: TranslationMemory | undefined;
  const engineOptions = { baseDir, ...(options.modelProgress ? { progress: options.modelProgress } : {}), log };
  const queue = queueChoice(options.queue, options.localWorkers, config);
  const engine = await (queue
    ? openCoordinator(config, { ...engineOptions, ...queue, onStatus: (s) => emit({ type: 'cluster', ...s }) })
    : openEngine(config, engineOptions)
  ).catch(async (err: unknown) => {
    await lock.release();
    throw err;
  });
  try {
    // Under the lock no other run writes here: temp files of a killed run can go.
    const swept = await sweepStaleTemps(outDir);
    if (swept.removed.length > 0) note(`removed ${swept.removed.length} temp file(s) left by an interrupted run`);
    const modelKey = modelKeyOf(engine.info);
    let store: TranslationStore | undefined;
    let retryStore: ((o: DecodeOptions) => TranslationStore) | undefined;
    if (config.memory.enabled) {
      memory = TranslationMemory.open(memoryPath(config, outDir, baseDir), { reset: Boolean(options.resetMemory) });
      const m = memory;
      const storeFor = (key: string): TranslationStore => ({ getMany: (s) => m.getMany(key, s), putMany: (e) => m.putMany(key, [...e]) });
      store = storeFor(modelKey);
      retryStore = (o) => storeFor(`${modelKey}|retry:${JSON.stringify(o)}`);
    } else if (existsSync(memoryPath(config, outDir, baseDir))) {
      // Without the memory no stored machine translation is used; a person's corrections still are.
      memory = TranslationMemory.open(memoryPath(config, outDir, baseDir));
    }
    const manifest = await openRunManifest(outDir, { modelKey, info: engine.info, config, force: Boolean(options.force) });
    for (const w of manifest.warnings) warn(w);
    const counts = { filesStarted: 0, filesFinished: 0, segmentsQueued: 0, segmentsFinished: 0 };
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
        onFileQueued: (input) => {
          counts.filesStarted++;
          emit({ type: 'file-start', input });
          progress();
        },
        onSegmentsQueued: (n) => {
          counts.segmentsQueued += n;
          progress();
        },
        onFileDone: (outcome) => {
          manifest.record(outcome);
          counts.filesFinished++;
          counts.segmentsFinished += outcome.segments;
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
    return { ...summary, ...(engineStats ? { engine: engineStats } : {}), aborted: options.signal?.aborted ?? false, ...(cluster ? { cluster } : {}) };
  } finally {
    memory?.close();
    await engine.dispose();
    await lock.release();
  }
}

/** Typed overrides → the dotted keys and raw values the config loader checks like the file's. */
function overridesOf(options: TranslateOptions): Record<string, string> {
  const out: Record<string, string> = { ...options.settings };
  if (options.model !== undefined) out['model.id'] = options.model;
  for (const [section, values] of Object.entries(options.config ?? {})) {
    if (section === 'glossary' || values === undefined) continue;
    if (section === 'glossary_file') {
      out.glossary_file = String(values);
      continue;
    }
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      if (value === undefined || (section === 'model' && key === 'id' && options.model !== undefined)) continue;
      if (Array.isArray(value)) {
        const items = value.map(String);
        const bad = items.find((v) => v.includes(','));
        if (bad !== undefined) throw new ConfigError(`config override ${section}.${key}: "${bad}" cannot contain a comma`, undefined, `${section}.${key}`);
        out[`${section}.${key}`] = items.join(',');
      } else {
        out[`${section}.${key}`] = String(value);
      }
    }
  }
  return out;
}
