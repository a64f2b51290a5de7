/**
 * What a decoding loop receives and returns. Both loops (transformers.js' `generate`, and
 * dwibahasa's own over the ONNX sessions) take the same request, so they can be compared token for token.
 */
import type { PreTrainedModel, Tensor } from '@huggingface/transformers';

/** `own`: dwibahasa's batched greedy/beam loop. `generate`: transformers.js' generate (greedy only). */
export type DecoderKind = 'own' | 'generate';

export interface DecodeRequest {
  readonly model: PreTrainedModel;
  readonly decoder: DecoderKind;
  /** 1 = greedy. */
  readonly beams: number;
  readonly lengthPenalty: number;
  readonly earlyStopping: boolean;
  /** int64 [batch, width], right-padded with the pad token. */
  readonly inputIds: Tensor;
  /** int64 [batch, width]: 1 for real tokens, 0 for padding. */
  readonly attentionMask: Tensor;
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
