/**
 * What a model folder and decoding settings are, without starting ONNX Runtime: the tokenizer,
 * the input limit and the ModelInfo (part of every translation-memory key). The Marian engine
 * builds on it; the queue coordinator uses it alone, since it runs no model of its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { ModelError } from '../errors.js';
import { checkModelDir } from '../model/files.js';
import { hashModelFiles } from '../model/info.js';
import type { ModelInfo } from '../types.js';
import type { DecodingSettings, MarianEngineOptions } from './marian-engine.js';
import { configureRuntime } from './runtime.js';

interface ModelConfigJson {
  model_type?: string;
  max_position_embeddings?: number;
  num_beams?: number;
}

export interface ModelIdentity {
  readonly info: ModelInfo;
  readonly tokenizer: PreTrainedTokenizer;
  /** Largest input (tokens, end token included) one segment may have. */
  readonly maxInputTokens: number;
  /** The decoder's position limit. */
  readonly maxPositions: number;
  /** The settings with `beams: 0` replaced by the model's own beam count. */
  readonly decoding: DecodingSettings;
}

export async function loadModelIdentity(options: MarianEngineOptions): Promise<ModelIdentity> {
  checkModelDir(options.dir, options.dtype);
  configureRuntime(options.modelsRoot);
  const config = readModelConfig(options.dir);
  const generationBeams = readGenerationBeams(options.dir) ?? config.num_beams ?? 1;
  const decoding: DecodingSettings = {
    ...options.decoding,
    beams: options.decoding.beams > 0 ? options.decoding.beams : generationBeams,
  };
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(options.dir, { local_files_only: true });
  } catch (err) {
    throw new ModelError(`cannot load the tokenizer from ${options.dir}: ${(err as Error).message}`, options.dir, { cause: err });
  }
  const maxPositions = config.max_position_embeddings ?? 512;
  const tokenizerMax = (tokenizer as unknown as { model_max_length?: number }).model_max_length ?? maxPositions;
  const hash = options.hash ?? (await hashModelFiles(options.dir, options.dtype));
  const info: ModelInfo = {
    id: options.id,
    dtype: options.dtype,
    hash,
    decoding: {
      beams: decoding.beams,
      length_penalty: decoding.lengthPenalty,
      early_stopping: decoding.earlyStopping,
      max_new_tokens_factor: decoding.maxNewTokensFactor,
      max_new_tokens_extra: decoding.maxNewTokensExtra,
      repetition_penalty: decoding.repetitionPenalty,
      no_repeat_ngram_size: decoding.noRepeatNgramSize,
    },
  };
  return { info, tokenizer, maxInputTokens: Math.min(maxPositions, tokenizerMax), maxPositions, decoding };
}

function readModelConfig(dir: string): ModelConfigJson {
  const file = join(dir, 'config.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ModelConfigJson;
  } catch (err) {
    throw new ModelError(`${file} is not valid JSON (${(err as Error).message}); fetch the model again`, dir, { cause: err });
  }
}

function readGenerationBeams(dir: string): number | undefined {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'generation_config.json'), 'utf8')) as { num_beams?: number };
    return typeof json.num_beams === 'number' ? json.num_beams : undefined;
  } catch {
    return undefined;
  }
}
