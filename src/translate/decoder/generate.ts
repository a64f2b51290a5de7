/**
 * The reference loop: transformers.js' own `generate`, greedy. Kept for the equality test against
 * dwibahasa's loop and for the benchmark; transformers.js 4.x ignores num_beams, so this is greedy only.
 */
import { PreTrainedModel, Tensor } from '@huggingface/transformers';
import type { OrtTensor } from './tensors.js';
import type { DecodeRequest, DecodeResult } from './types.js';

export async function generateDecode(req: DecodeRequest): Promise<DecodeResult> {
  const model = req.model;
  if (!(model instanceof PreTrainedModel)) throw new TypeError(`decoder 'generate' needs the model loaded by transformers.js (MarianEngine with decoder 'generate')`);
  const config = model.config as unknown as { eos_token_id?: number | number[] };
  const eos = new Set([config.eos_token_id ?? 0].flat());
  const output = (await model.generate({
    inputs: toTransformers(req.inputIds),
    attention_mask: toTransformers(req.attentionMask),
    max_new_tokens: Math.max(...req.maxNewTokens),
    num_beams: 1,
    do_sample: false,
    // Forcing </s> at the batch's length limit would make a row's output depend on its batch
    // neighbours; each row is cut at its own limit below instead.
    forced_eos_token_id: null,
    repetition_penalty: req.options.repetitionPenalty,
    no_repeat_ngram_size: req.options.noRepeatNgramSize,
  } as unknown as Parameters<typeof model.generate>[0])) as Tensor;
  const rows = output.tolist() as bigint[][];
  return rows.map((row, r) => {
    const tokens: number[] = [];
    // Column 0 is the decoder start token.
    for (let i = 1; i < row.length && tokens.length < req.maxNewTokens[r]!; i++) {
      const id = Number(row[i]);
      if (eos.has(id)) break;
      tokens.push(id);
    }
    return tokens;
  });
}

function toTransformers(t: OrtTensor): Tensor {
  return new Tensor('int64', t.data as BigInt64Array, [...t.dims]);
}
