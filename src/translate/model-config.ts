/**
 * A model folder's configuration as the engine reads it: config.json's limits, the decoding
 * settings with the model's own beam width filled in, and the one map between the settings' names
 * in code and in the config file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { ModelError } from '../errors.js';

export interface DecodingSettings {
  /** Beam width; 0 = the model's generation_config num_beams. */
  readonly beams: number;
  readonly lengthPenalty: number;
  readonly earlyStopping: boolean;
  readonly maxNewTokensFactor: number;
  readonly maxNewTokensExtra: number;
  readonly repetitionPenalty: number;
  readonly noRepeatNgramSize: number;
}

export const DEFAULT_DECODING: DecodingSettings = {
  beams: 1,
  lengthPenalty: 1,
  earlyStopping: true,
  maxNewTokensFactor: 2,
  maxNewTokensExtra: 10,
  repetitionPenalty: 1,
  noRepeatNgramSize: 0,
};

export interface ModelConfigJson {
  model_type?: string;
  max_position_embeddings?: number;
  num_beams?: number;
  pad_token_id?: number;
}

/**
 * The settings with beams 0 ("the model's own") replaced by generation_config's num_beams (or
 * config.json's, or 1). Settings whose beams are already set come back as they are, so the pool
 * resolves them once and its workers do not again.
 */
export function resolveDecoding(dir: string, settings: DecodingSettings, config?: ModelConfigJson): DecodingSettings {
  if (settings.beams > 0) return settings;
  const beams = readGenerationBeams(dir) ?? (config ?? readModelConfig(dir)).num_beams ?? 1;
  return { ...settings, beams };
}

/** The config file's decoding keys for each setting: the one map between the two spellings. */
const CONFIG_KEYS = {
  beams: 'beams',
  lengthPenalty: 'length_penalty',
  earlyStopping: 'early_stopping',
  maxNewTokensFactor: 'max_new_tokens_factor',
  maxNewTokensExtra: 'max_new_tokens_extra',
  repetitionPenalty: 'repetition_penalty',
  noRepeatNgramSize: 'no_repeat_ngram_size',
} as const satisfies Record<keyof DecodingSettings, string>;

type ConfigDecoding = { readonly [K in keyof DecodingSettings as (typeof CONFIG_KEYS)[K]]: DecodingSettings[K] };

/** Decoding settings from the config file's `decoding` section. */
export function decodingFromConfig(d: ConfigDecoding): DecodingSettings {
  const out: Record<string, number | boolean> = {};
  for (const [key, configKey] of Object.entries(CONFIG_KEYS)) out[key] = d[configKey];
  return out as unknown as DecodingSettings;
}

/** The settings under the config file's names, as ModelInfo (and so the memory key) records them. */
export function decodingRecord(s: DecodingSettings): ConfigDecoding {
  const out: Record<string, number | boolean> = {};
  for (const [key, configKey] of Object.entries(CONFIG_KEYS)) out[configKey] = s[key as keyof DecodingSettings];
  return out as unknown as ConfigDecoding;
}

/** The decoder's position limit, and the longest input one segment may be (tokens, end token included). */
export function inputLimits(config: ModelConfigJson, tokenizer: PreTrainedTokenizer): { maxPositions: number; maxInputTokens: number } {
  const maxPositions = config.max_position_embeddings ?? 512;
  const tokenizerMax = (tokenizer as unknown as { model_max_length?: number }).model_max_length ?? maxPositions;
  return { maxPositions, maxInputTokens: Math.min(maxPositions, tokenizerMax) };
}

export function readModelConfig(dir: string): ModelConfigJson {
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
