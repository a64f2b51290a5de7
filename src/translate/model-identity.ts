/**
 * What a model folder and decoding settings are, without starting ONNX Runtime: the tokenizer,
 * the input limit and the ModelInfo (part of every translation-memory key), made of the same
 * pieces as MarianEngine.load. The queue coordinator uses it: it runs no model of its own.
 */
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { ModelError } from '../errors.js';
import { checkModelDir } from '../model/files.js';
import { hashModelFiles } from '../model/info.js';
import type { ModelInfo } from '../types.js';
import type { MarianEngineOptions } from './marian-engine.js';
import { decodingRecord, inputLimits, readModelConfig, resolveDecoding } from './model-config.js';
import { configureRuntime } from './runtime.js';

export interface ModelIdentity {
  readonly info: ModelInfo;
  readonly tokenizer: PreTrainedTokenizer;
  /** Largest input (tokens, end token included) one segment may have. */
  readonly maxInputTokens: number;
}

export async function loadModelIdentity(options: MarianEngineOptions): Promise<ModelIdentity> {
  if (!options.checked) checkModelDir(options.dir, options.dtype);
  configureRuntime(options.modelsRoot);
  const config = readModelConfig(options.dir);
  const decoding = resolveDecoding(options.dir, options.decoding, config);
  const tokenizer = await loadTokenizer(options.dir);
  const hash = options.hash ?? (await hashModelFiles(options.dir, options.dtype));
  const info: ModelInfo = { id: options.id, dtype: options.dtype, hash, decoding: decodingRecord(decoding) };
  return { info, tokenizer, maxInputTokens: inputLimits(config, tokenizer).maxInputTokens };
}

/** The folder's tokenizer, or a ModelError that names the folder. */
export async function loadTokenizer(dir: string): Promise<PreTrainedTokenizer> {
  try {
    return await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  } catch (err) {
    throw new ModelError(`cannot load the tokenizer from ${dir}: ${(err as Error).message}`, dir, { cause: err });
  }
}
