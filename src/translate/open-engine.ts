/**
 * From configuration to a running engine: find the model folder, fetch the model first when it
 * is missing and the hub is reachable (model.download: auto), then start the workers.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { ModelError } from '../errors.js';
import { checkModelDir, resolveModelDir } from '../model/files.js';
import { prepareRowQuantized } from '../model/batch-invariant/prepare.js';
import { RowQuantizeError } from '../model/batch-invariant/row-quantize.js';
import { prepareFusedDecoder } from '../model/fused-decoder.js';
import { FuseError } from './decoder/fused-graph.js';
import { fetchModel, isHubReachable, reportFetchProgress, resolveEndpoint } from '../model/fetch.js';
import type { Progress } from '../progress.js';
import type { TranslationEngine } from './engine.js';
import { MarianEngine, type MarianEngineOptions } from './marian-engine.js';
import { decodingFromConfig } from './model-config.js';
import type { DecoderKind } from './decoder/types.js';
import { WorkerPoolEngine } from './worker-pool.js';

export interface OpenEngineOptions {
  /** Folder that config paths are relative to. */
  readonly baseDir: string;
  readonly progress?: Progress;
  readonly log?: (line: string) => void;
  readonly decoder?: DecoderKind;
}

/** Number of engine workers: the configured count, or one per core. */
export function workerCount(config: Config): number {
  return config.engine.workers > 0 ? config.engine.workers : Math.max(1, availableParallelism());
}

/**
 * The folder to load from: for q8 with engine.batch_invariant, a cached copy whose activations are
 * quantized per row (see src/model/batch-invariant). A graph the rewrite does not know is used as published,
 * with a warning: translation still works, only batch invariance is lost.
 */
async function batchInvariantDir(config: Config, dir: string, modelsRoot: string, log?: (line: string) => void): Promise<string> {
  if (config.model.dtype !== 'q8' || !config.engine.batch_invariant) return dir;
  try {
    // The source folder was checked by openEngine; the copy is written and checked by the rewrite.
    return await prepareRowQuantized(dir, path.join(modelsRoot, '.cache'), { checked: true });
  } catch (err) {
    if (err instanceof ModelError && err.cause instanceof RowQuantizeError) {
      log?.(`warning: ${err.message}; using the int8 model as published (translations may depend on batch neighbours)`);
      return dir;
    }
    throw err;
  }
}

/**
 * The folder with the search's selection appended to the decoder (see decoder/fused-graph.ts), for
 * dwibahasa's own loop; transformers.js' generate cannot feed the added input. A decoder the
 * rewrite does not know is used as published, with a warning: only speed is lost.
 */
async function fusedDir(config: Config, dir: string, modelsRoot: string, decoder: DecoderKind | undefined, log?: (line: string) => void): Promise<string> {
  if (!config.engine.fused_selection || decoder === 'generate') return dir;
  try {
    return (await prepareFusedDecoder(dir, config.model.dtype, path.join(modelsRoot, '.cache'))).dir;
  } catch (err) {
    if (err instanceof ModelError && err.cause instanceof FuseError) {
      log?.(`warning: ${err.message}; using the decoder as published (slower, same translations)`);
      return dir;
    }
    throw err;
  }
}

/**
 * Everything an engine needs to load, with the model folder checked (fetched when missing and
 * allowed, rewritten for batch invariance when q8). Queue workers and the coordinator use it too.
 */
export async function prepareEngineOptions(config: Config, opts: OpenEngineOptions & { readonly fetch?: boolean }): Promise<MarianEngineOptions> {
  const modelsRoot = path.resolve(opts.baseDir, config.model.dir);
  const dir = path.resolve(opts.baseDir, resolveModelDir(modelsRoot, config.model.id));
  const isHubId = dir === path.join(modelsRoot, ...config.model.id.split('/'));
  try {
    checkModelDir(dir, config.model.dtype, { modelId: isHubId ? config.model.id : undefined });
  } catch (err) {
    if (!(err instanceof ModelError) || !isHubId || config.model.download !== 'auto' || opts.fetch === false) throw err;
    const endpoint = resolveEndpoint(config.model.endpoint || undefined);
    if (!(await isHubReachable(endpoint, 5000, { modelId: config.model.id }))) {
      const [first, ...rest] = err.message.split('\n');
      throw new ModelError([first, `  The model hub ${endpoint} is not reachable from here, so it was not downloaded.`, ...rest].join('\n'), dir);
    }
    opts.log?.(`model ${config.model.id} is not installed: downloading it from ${endpoint} into ${dir}`);
    await fetchModel({
      modelId: config.model.id,
      destDir: dir,
      dtype: config.model.dtype,
      endpoint,
      ...(opts.progress ? { onProgress: reportFetchProgress(opts.progress) } : {}),
    });
    checkModelDir(dir, config.model.dtype, { modelId: config.model.id });
  }
  const loadDir = await fusedDir(config, await batchInvariantDir(config, dir, modelsRoot, opts.log), modelsRoot, opts.decoder, opts.log);
  return {
    dir: loadDir,
    id: isHubId ? config.model.id : dir,
    modelsRoot,
    dtype: config.model.dtype,
    threads: config.engine.threads,
    decoding: decodingFromConfig(config.decoding),
    checked: true,
    ...(opts.decoder ? { decoder: opts.decoder } : {}),
  };
}

export async function openEngine(config: Config, opts: OpenEngineOptions): Promise<TranslationEngine> {
  const engineOptions = await prepareEngineOptions(config, opts);
  const workers = workerCount(config);
  return workers === 1 ? MarianEngine.load(engineOptions) : WorkerPoolEngine.load(engineOptions, workers);
}
