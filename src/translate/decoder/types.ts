/**
 * What a decoding loop receives and returns. Both loops (transformers.js' `generate`, and
 * dwibahasa's own over the ONNX sessions) take the same request, so they can be compared token for token.
 */
import type { OrtTensor } from './tensors.js';

/** `own`: dwibahasa's batched greedy/beam loop. `generate`: transformers.js' generate (greedy only). */
export type DecoderKind = 'own' | 'generate';

/**
 * What the loops need of a loaded Marian model: its ONNX Runtime sessions by name (`model`, the
 * encoder; `decoder_model_merged`) and its configuration. A transformers.js PreTrainedModel has
 * these; so has the model that load-model.ts opens without transformers.js.
 */
export interface MarianModel {
  readonly sessions: Readonly<Record<string, unknown>>;
  /** config.json */
  readonly config: unknown;
  /** generation_config.json (its values override config.json's), when the folder has one. */
  readonly generation_config?: unknown;
}

export interface DecodeRequest {
  readonly model: MarianModel;
  readonly decoder: DecoderKind;
  /** 1 = greedy. */
  readonly beams: number;
  readonly lengthPenalty: number;
  readonly earlyStopping: boolean;
  /** int64 [batch, width], right-padded with the pad token. */
  readonly inputIds: OrtTensor;
  /** int64 [batch, width]: 1 for real tokens, 0 for padding. */
  readonly attentionMask: OrtTensor;
  /** Real input tokens per row (including the end token). */
  readonly lengths: readonly number[];
  /** Most new tokens per row (the end token not counted). */
  readonly maxNewTokens: readonly number[];
  readonly options: {
    /** 1 = off. */
    readonly repetitionPenalty: number;
    /** 0 = off. */
    readonly noRepeatNgramSize: number;
  };
}

/** Generated token ids per row: without the decoder start token and without the end token. */
export type DecodeResult = number[][];
