/**
 * Token ids in, token ids out: a Marian model's ONNX Runtime sessions and the decoding loop, with
 * no tokenizer. The in-thread engine (marian-engine.ts) and every engine worker (engine-worker.ts)
 * run one; the text on either side of it is the tokenizer's business, in the calling thread.
 */
import { ModelError } from '../errors.js';
import { describeOnnxLoadError, onnxFiles } from '../model/files.js';
import type { Dtype } from '../types.js';
import { decoderCalls, type DecoderCallLimits } from './decoder-calls.js';
import { decodeBatch } from './decoder/decode-batch.js';
import { helperSessionMs } from './decoder/normaliser.js';
import { paddedBatch } from './decoder/tensors.js';
import type { DecoderKind, MarianModel } from './decoder/types.js';
import type { EngineStats, TranslateOptions } from './engine.js';
import { loadMarianModel } from './load-model.js';
import { readModelConfig, type DecodingSettings, type ModelConfigJson } from './model-config.js';
import { timeSessionRuns } from './session-timing.js';

export interface RunnerOptions {
  /** The model folder (config.json, generation_config.json, onnx/). */
  readonly dir: string;
  readonly dtype: Dtype;
  /** ONNX Runtime intra-op threads. */
  readonly threads: number;
  /** Overrides of ORT_SESSION_OPTIONS (for measuring them: bench/ort-options.ts). */
  readonly sessionOptions?: Readonly<Record<string, unknown>>;
  /** With beams resolved (resolveDecoding): never 0 here. */
  readonly decoding: DecodingSettings;
  /** dwibahasa's own loop (default), or transformers.js' generate (the reference, loads transformers.js' model). */
  readonly decoder?: DecoderKind;
  /** The models folder, for transformers.js' env when `decoder` is 'generate'. */
  readonly modelsRoot?: string;
}

/**
 * ONNX Runtime options for the encoder and decoder sessions, several of which (one per worker) share
 * the machine's cores. Measured with bench/ort-options.ts; see the README's benchmark section.
 */
export const ORT_SESSION_OPTIONS: Readonly<Record<string, unknown>> = {
  interOpNumThreads: 1,
};

/**
 * The bounds of one decoder call (see decoder-calls.ts). Rows: one engine at 6 beams peaked at
 * 1,261 MB with 16 sentences (96 rows), 853 MB with 8 (48 rows) and 716 MB with 4, for 34.2, 33.1
 * and 37.2 s of CPU time on the same 96 sentences (full-size q8 test model; 4 beams: 1,045 MB /
 * 20.2 s at 64 rows, 879 MB / 21.5 s at 48). Row tokens, measured on the bench's 500 paragraphs at
 * 6 beams (two workers, whole run, guard retries off): no limit 132 s and 2,010 MB peak RSS;
 * 1,536: 140 s, 1,280 MB; 1,024: 148 s, 1,165 MB; 1,024 beyond 16 free rows: 149 s, 1,175 MB, and
 * greedy (16-row batches) then as fast as without a limit (30.1–30.7 s against 30.5–32.0 s).
 */
export const DECODER_CALL_LIMITS: DecoderCallLimits = { rows: 48, rowTokens: 1024, freeRows: 16 };

export class ModelRunner {
  private ortMs = 0;
  private calls = 0;

  private constructor(
    private readonly model: MarianModel & { dispose(): Promise<unknown> },
    private readonly decoder: DecoderKind,
    private readonly decoding: DecodingSettings,
    private readonly maxPositions: number,
    private readonly padId: number,
  ) {
    timeSessionRuns(model, (ms) => (this.ortMs += ms));
  }

  static async load(o: RunnerOptions): Promise<ModelRunner> {
    if (o.decoding.beams < 1) throw new RangeError(`ModelRunner needs resolved beams (got ${o.decoding.beams}); call resolveDecoding first`);
    const config = readModelConfig(o.dir);
    const sessionOptions = { ...ORT_SESSION_OPTIONS, intraOpNumThreads: o.threads, ...o.sessionOptions };
    const decoder = o.decoder ?? 'own';
    let model: MarianModel & { dispose(): Promise<unknown> };
    if (decoder === 'generate') {
      // Only the reference loop needs transformers.js: an engine worker otherwise never loads it.
      const [{ AutoModelForSeq2SeqLM }, { configureRuntime }] = await Promise.all([import('@huggingface/transformers'), import('./runtime.js')]);
      configureRuntime(o.modelsRoot ?? o.dir);
      try {
        model = await AutoModelForSeq2SeqLM.from_pretrained(o.dir, { dtype: o.dtype, device: 'cpu', local_files_only: true, session_options: sessionOptions });
      } catch (err) {
        throw new ModelError(describeOnnxLoadError(onnxFiles(o.dtype)[0]!, err), o.dir, { cause: err });
      }
    } else {
      model = await loadMarianModel(o.dir, o.dtype, sessionOptions);
    }
    return new ModelRunner(model, decoder, o.decoding, config.max_position_embeddings ?? 512, padTokenId(config));
  }

  /** The explicit output limit for an input of `inputTokens` tokens (never the library's default). */
  maxNewTokens(inputTokens: number): number {
    const wanted = Math.ceil(inputTokens * this.decoding.maxNewTokensFactor) + this.decoding.maxNewTokensExtra;
    // The decoder's positions stop at max_position_embeddings, counting the start token.
    return Math.max(1, Math.min(wanted, this.maxPositions - 1));
  }

  /** Generated token ids (no start or end token) for each input row of token ids (end token included). */
  async generate(ids: readonly (readonly number[])[], options: TranslateOptions = {}): Promise<number[][]> {
    if (ids.length === 0) return [];
    this.calls++;
    const out: number[][] = new Array<number[]>(ids.length);
    for (const rows of decoderCalls(ids.map((r) => r.length), this.decoding.beams, DECODER_CALL_LIMITS)) {
      const generated = await this.decodeRows(rows.map((r) => ids[r]!), options);
      rows.forEach((r, j) => (out[r] = generated[j]!));
    }
    return out;
  }

  private decodeRows(ids: readonly (readonly number[])[], options: TranslateOptions): Promise<number[][]> {
    const lengths = ids.map((row) => row.length);
    const batch = paddedBatch(ids, this.padId);
    return decodeBatch({
      model: this.model,
      decoder: this.decoder,
      beams: this.decoding.beams,
      lengthPenalty: this.decoding.lengthPenalty,
      earlyStopping: this.decoding.earlyStopping,
      inputIds: batch.ids,
      attentionMask: batch.mask,
      lengths,
      maxNewTokens: lengths.map((n) => this.maxNewTokens(n)),
      options: {
        repetitionPenalty: options.repetitionPenalty ?? this.decoding.repetitionPenalty,
        noRepeatNgramSize: options.noRepeatNgramSize ?? this.decoding.noRepeatNgramSize,
      },
    });
  }

  stats(): EngineStats {
    // The beam search's log-softmax helper session is ONNX Runtime time too.
    return { ortMs: this.ortMs + helperSessionMs(), calls: this.calls, workers: 1 };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

function padTokenId(config: ModelConfigJson): number {
  return config.pad_token_id ?? 0;
}
