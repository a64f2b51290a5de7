/**
 * The Marian engine: the tokenizer, and a ModelRunner (ONNX Runtime sessions and the decoding loop)
 * in this thread. The worker pool runs one ModelRunner per worker behind one tokenizer.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { InputTooLongError } from '../errors.js';
import { checkModelDir } from '../model/files.js';
import type { Dtype, ModelInfo } from '../types.js';
import type { EngineOutput, EngineStats, TranslateOptions, TranslationEngine } from './engine.js';
import type { DecoderKind } from './decoder/types.js';
import { loadModelIdentity } from './model-identity.js';
import { resolveDecoding, type DecodingSettings } from './model-config.js';
import { ModelRunner } from './model-runner.js';

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

export class MarianEngine implements TranslationEngine {
  private constructor(
    readonly info: ModelInfo,
    readonly maxInputTokens: number,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly runner: ModelRunner,
  ) {}

  async stats(): Promise<EngineStats> {
    return this.runner.stats();
  }

  /**
   * What a run needs to know of the model without loading its ONNX sessions (`--dry-run`): the
   * info that keys the translation memory, the input limit and a token counter.
   */
  static async inspect(options: MarianEngineOptions): Promise<Pick<TranslationEngine, 'info' | 'maxInputTokens' | 'countTokens'>> {
    const { info, tokenizer, maxInputTokens } = await loadModelIdentity(options);
    return { info, maxInputTokens, countTokens: (text) => tokenizer.encode(text).length };
  }

  static async load(options: MarianEngineOptions): Promise<MarianEngine> {
    if (!options.checked) checkModelDir(options.dir, options.dtype);
    const [identity, runner] = await Promise.allSettled([
      loadModelIdentity({ ...options, checked: true }),
      ModelRunner.load({ ...options, decoding: resolveDecoding(options.dir, options.decoding) }),
    ]);
    if (identity.status === 'rejected' || runner.status === 'rejected') {
      if (runner.status === 'fulfilled') await runner.value.dispose();
      throw identity.status === 'rejected' ? identity.reason : (runner as PromiseRejectedResult).reason;
    }
    const { info, tokenizer, maxInputTokens } = identity.value;
    return new MarianEngine(info, maxInputTokens, tokenizer, runner.value);
  }

  countTokens(text: string): number {
    return this.tokenizer.encode(text).length;
  }

  async translate(segments: readonly string[], options: TranslateOptions = {}): Promise<EngineOutput[]> {
    if (segments.length === 0) return [];
    const ids = encodeSegments(this.tokenizer, segments, this.maxInputTokens);
    return decodeOutputs(this.tokenizer, await this.runner.generate(ids, options));
  }

  /** The explicit output limit for an input of `inputTokens` tokens. */
  maxNewTokens(inputTokens: number): number {
    return this.runner.maxNewTokens(inputTokens);
  }

  async dispose(): Promise<void> {
    await this.runner.dispose();
  }
}

/** Token ids of each segment; InputTooLongError when one is over the model's input limit. */
export function encodeSegments(tokenizer: Pick<PreTrainedTokenizer, 'encode'>, segments: readonly string[], maxInputTokens: number): number[][] {
  const ids = segments.map((s) => tokenizer.encode(s));
  for (const row of ids) if (row.length > maxInputTokens) throw new InputTooLongError(row.length, maxInputTokens);
  return ids;
}

/** English text of each row of generated ids. */
export function decodeOutputs(tokenizer: Pick<PreTrainedTokenizer, 'decode'>, generated: readonly (readonly number[])[]): EngineOutput[] {
  // A model may end a sentence at once (EOS first); the tokenizer refuses to decode nothing.
  return generated.map((tokens) => ({
    text: tokens.length === 0 ? '' : tokenizer.decode([...tokens], { skip_special_tokens: true }).trim(),
    generatedTokens: tokens.length,
  }));
}

