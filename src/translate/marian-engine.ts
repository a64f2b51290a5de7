/**
 * The Marian engine: tokenizer and model loaded by transformers.js from a local folder,
 * run by ONNX Runtime in this thread. The worker pool runs one of these per worker.
 */
import { join } from 'node:path';
import { AutoModelForSeq2SeqLM, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { InputTooLongError, ModelError } from '../errors.js';
import { describeOnnxLoadError, onnxFiles } from '../model/files.js';
import type { Dtype, ModelInfo } from '../types.js';
import type { EngineOutput, EngineStats, TranslateOptions, TranslationEngine } from './engine.js';
import { loadModelIdentity } from './model-identity.js';
import { timeSessionRuns } from './runtime.js';
import { decodeBatch, helperSessionMs, type DecoderKind, type DecodeRequest } from './decoder/index.js';

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
  readonly decoding: DecodingSettings;
  /** Decoding loop: dwibahasa's own (default) or transformers.js' generate (the reference). */
  readonly decoder?: DecoderKind;
  /** Precomputed hash of the model files (the pool computes it once for all workers). */
  readonly hash?: string;
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

  static async load(options: MarianEngineOptions): Promise<MarianEngine> {
    const { info, tokenizer, maxInputTokens, maxPositions, decoding } = await loadModelIdentity(options);
    let model: PreTrainedModel;
    try {
      model = await AutoModelForSeq2SeqLM.from_pretrained(options.dir, {
        dtype: options.dtype,
        device: 'cpu',
        local_files_only: true,
        session_options: { intraOpNumThreads: options.threads, interOpNumThreads: 1 },
      });
    } catch (err) {
      const file = join(options.dir, onnxFiles(options.dtype)[0]!);
      throw new ModelError(describeOnnxLoadError(file, err), options.dir, { cause: err });
    }
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
    const generated = await decodeBatch({
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
    return generated.map((tokens) => ({
      text: this.tokenizer.decode(tokens, { skip_special_tokens: true }).trim(),
      generatedTokens: tokens.length,
    }));
  }

  private padTokenId(): number {
    const id = (this.model.config as unknown as { pad_token_id?: number }).pad_token_id;
    return id ?? 0;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
