/**
 * The Marian engine: tokenizer and model loaded by transformers.js from a local folder,
 * run by ONNX Runtime in this thread. The worker pool runs one of these per worker.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoModelForSeq2SeqLM, AutoTokenizer, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { InputTooLongError, ModelError } from '../errors.js';
import { checkModelDir, describeOnnxLoadError, onnxFiles } from '../model/files.js';
import { hashModelFiles } from '../model/info.js';
import type { Dtype, ModelInfo } from '../types.js';
import type { EngineOutput, EngineStats, TranslateOptions, TranslationEngine } from './engine.js';
import { configureRuntime, timeSessionRuns } from './runtime.js';
import { decodeBatch } from './decoder/decode-batch.js';
import { helperSessionMs } from './decoder/normaliser.js';
import type { DecoderKind, DecodeRequest } from './decoder/types.js';

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

export interface MarianEngineOptions {
  /** The model folder (holding config.json, tokenizer.json, onnx/). */
  readonly dir: string;
  /** Shown in outputs and part of the memory key: the model id, or the folder. */
  readonly id: string;
  /** Root of the models tree, for transformers.js' env (its cache goes there too). */
  readonly modelsRoot: string;
  readonly dtype: Dtype;
  /** ONNX Runtime intra-op threads. */
  readonly threads: number;
  /** Overrides of ORT_SESSION_OPTIONS (for measuring them: bench/ort-options.ts). */
  readonly sessionOptions?: Readonly<Record<string, unknown>>;
  readonly decoding: DecodingSettings;
  /** Decoding loop: dwibahasa's own (default) or transformers.js' generate (the reference). */
  readonly decoder?: DecoderKind;
  /** Precomputed hash of the model files (the pool computes it once for all workers). */
  readonly hash?: string;
  /**
   * True when the caller has already checked `dir` with checkModelDir (openEngine does, once, and
   * the pool passes it on to its workers); otherwise load checks it first.
   */
  readonly checked?: boolean;
}

/**
 * ONNX Runtime options for the encoder and decoder sessions, several of which (one per worker) share
 * the machine's cores. Measured with bench/ort-options.ts; see the README's benchmark section.
 */
export const ORT_SESSION_OPTIONS: Readonly<Record<string, unknown>> = {
  interOpNumThreads: 1,
};

/**
 * Most decoder rows (sentences × beams) per decoder call. The self- and cross-attention caches of
 * every row are copied out of ONNX Runtime each step, so a call's memory grows with its rows; one
 * engine at 6 beams peaked at 1,261 MB with 16 sentences (96 rows), 853 MB with 8 (48 rows) and
 * 716 MB with 4, for 34.2, 33.1 and 37.2 s of CPU time on the same 96 sentences (full-size q8 test
 * model; 4 beams: 1,045 MB / 20.2 s at 64 rows, 879 MB / 21.5 s at 48). Greedy batches (16 rows by
 * default) are not split.
 */
export const MAX_DECODER_ROWS = 48;

export interface ModelConfigJson {
  model_type?: string;
  max_position_embeddings?: number;
  num_beams?: number;
}

export class MarianEngine implements TranslationEngine {
  private ortMs = 0;
  private calls = 0;

  private constructor(
    readonly info: ModelInfo,
    readonly maxInputTokens: number,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly request: Omit<DecodeRequest, 'inputIds' | 'attentionMask' | 'lengths' | 'maxNewTokens' | 'options'>,
    private readonly decoding: DecodingSettings,
    private readonly maxPositions: number,
  ) {
    timeSessionRuns(this.model, (ms) => (this.ortMs += ms));
  }

  async stats(): Promise<EngineStats> {
    // The beam search's log-softmax helper session is ONNX Runtime time too.
    return { ortMs: this.ortMs + helperSessionMs(), calls: this.calls, workers: 1 };
  }

  /**
   * What a run needs to know of the model without loading its ONNX sessions (`--dry-run`): the
   * info that keys the translation memory, the input limit and a token counter.
   */
  static async inspect(options: MarianEngineOptions): Promise<Pick<TranslationEngine, 'info' | 'maxInputTokens' | 'countTokens'>> {
    if (!options.checked) checkModelDir(options.dir, options.dtype);
    configureRuntime(options.modelsRoot);
    const config = readModelConfig(options.dir);
    const decoding = resolveDecoding(options.dir, options.decoding, config);
    const tokenizer = await loadTokenizer(options.dir);
    const maxPositions = config.max_position_embeddings ?? 512;
    const tokenizerMax = (tokenizer as unknown as { model_max_length?: number }).model_max_length ?? maxPositions;
    const hash = options.hash ?? (await hashModelFiles(options.dir, options.dtype));
    return {
      info: { id: options.id, dtype: options.dtype, hash, decoding: decodingRecord(decoding) },
      maxInputTokens: Math.min(maxPositions, tokenizerMax),
      countTokens: (text) => tokenizer.encode(text).length,
    };
  }

  static async load(options: MarianEngineOptions): Promise<MarianEngine> {
    if (!options.checked) checkModelDir(options.dir, options.dtype);
    configureRuntime(options.modelsRoot);
    const config = readModelConfig(options.dir);
    const decoding = resolveDecoding(options.dir, options.decoding, config);
    const tokenizer = await loadTokenizer(options.dir);
    let model: PreTrainedModel;
    try {
      model = await AutoModelForSeq2SeqLM.from_pretrained(options.dir, {
        dtype: options.dtype,
        device: 'cpu',
        local_files_only: true,
        session_options: { ...ORT_SESSION_OPTIONS, intraOpNumThreads: options.threads, ...options.sessionOptions },
      });
    } catch (err) {
      const file = join(options.dir, onnxFiles(options.dtype)[0]!);
      throw new ModelError(describeOnnxLoadError(file, err), options.dir, { cause: err });
    }
    const { maxPositions, maxInputTokens } = inputLimits(config, tokenizer);
    const hash = options.hash ?? (await hashModelFiles(options.dir, options.dtype));
    const info: ModelInfo = { id: options.id, dtype: options.dtype, hash, decoding: decodingRecord(decoding) };
    const request = { model, decoder: options.decoder ?? 'own', beams: decoding.beams, lengthPenalty: decoding.lengthPenalty, earlyStopping: decoding.earlyStopping };
    return new MarianEngine(info, maxInputTokens, tokenizer, model, request, decoding, maxPositions);
  }

  countTokens(text: string): number {
    return this.tokenizer.encode(text).length;
  }

  /** The explicit output limit for an input of `inputTokens` tokens (never the library's default). */
  maxNewTokens(inputTokens: number): number {
    const wanted = Math.ceil(inputTokens * this.decoding.maxNewTokensFactor) + this.decoding.maxNewTokensExtra;
    // The decoder's positions stop at max_position_embeddings, counting the start token.
    return Math.max(1, Math.min(wanted, this.maxPositions - 1));
  }

  async translate(segments: readonly string[], options: TranslateOptions = {}): Promise<EngineOutput[]> {
    if (segments.length === 0) return [];
    this.calls++;
    const ids = segments.map((s) => this.tokenizer.encode(s));
    for (const row of ids) {
      if (row.length > this.maxInputTokens) throw new InputTooLongError(row.length, this.maxInputTokens);
    }
    // At most MAX_DECODER_ROWS decoder rows (sentences × beams) per decoder call, shortest first so
    // that each call pads little. Outputs do not depend on the split (q8 is batch-invariant).
    const perCall = Math.max(1, Math.floor(MAX_DECODER_ROWS / Math.max(1, this.decoding.beams)));
    const order = [...ids.keys()].sort((a, b) => ids[a]!.length - ids[b]!.length || a - b);
    const out: EngineOutput[] = new Array<EngineOutput>(ids.length);
    for (let i = 0; i < order.length; i += perCall) {
      const rows = order.slice(i, i + perCall);
      const generated = await this.decodeRows(rows.map((r) => ids[r]!), options);
      rows.forEach((r, j) => {
        const tokens = generated[j]!;
        // A model may end a sentence at once (EOS first); the tokenizer refuses to decode nothing.
        const text = tokens.length === 0 ? '' : this.tokenizer.decode(tokens, { skip_special_tokens: true }).trim();
        out[r] = { text, generatedTokens: tokens.length };
      });
    }
    return out;
  }

  private async decodeRows(ids: readonly number[][], options: TranslateOptions): Promise<number[][]> {
    const lengths = ids.map((row) => row.length);
    const width = Math.max(...lengths);
    const padId = this.padTokenId();
    const flat = new BigInt64Array(ids.length * width).fill(BigInt(padId));
    const mask = new BigInt64Array(ids.length * width);
    ids.forEach((row, r) => {
      row.forEach((id, c) => {
        flat[r * width + c] = BigInt(id);
        mask[r * width + c] = 1n;
      });
    });
    return decodeBatch({
      ...this.request,
      inputIds: new Tensor('int64', flat, [ids.length, width]),
      attentionMask: new Tensor('int64', mask, [ids.length, width]),
      lengths,
      maxNewTokens: lengths.map((n) => this.maxNewTokens(n)),
      options: {
        repetitionPenalty: options.repetitionPenalty ?? this.decoding.repetitionPenalty,
        noRepeatNgramSize: options.noRepeatNgramSize ?? this.decoding.noRepeatNgramSize,
      },
    });
  }

  private padTokenId(): number {
    const id = (this.model.config as unknown as { pad_token_id?: number }).pad_token_id;
    return id ?? 0;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

/** The folder's tokenizer, or a ModelError that names the folder. */
export async function loadTokenizer(dir: string): Promise<PreTrainedTokenizer> {
  try {
    return await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  } catch (err) {
    throw new ModelError(`cannot load the tokenizer from ${dir}: ${(err as Error).message}`, dir, { cause: err });
  }
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
