import { Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scoreSequence } from '../../../src/translate/decoder/score.js';
import { encodeAll, loadTestModel, makeRequest, SENTENCES, type LoadedModel } from './helpers.js';

describe('scoreSequence', () => {
  let m: LoadedModel;
  beforeAll(async () => {
    m = await loadTestModel({ preset: 'tiny', seed: 2 }, 'fp32');
  });
  afterAll(async () => m?.dispose());

  const TARGETS = [[5, 9, 0], [17, 0], [3, 3, 3, 3, 3, 0], [0]];

  /** The reference: transformers.js' own forward pass on one row, log-softmax taken here. */
  async function reference(ids: number[], target: number[]): Promise<number> {
    const start = (m.model.config as unknown as { decoder_start_token_id: number }).decoder_start_token_id;
    const decoderIds = [start, ...target.slice(0, -1)];
    const out = (await (m.model as unknown as (x: Record<string, Tensor>) => Promise<{ logits: Tensor }>)({
      input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      decoder_input_ids: new Tensor('int64', BigInt64Array.from(decoderIds.map(BigInt)), [1, decoderIds.length]),
    })).logits;
    const data = out.data as Float32Array;
    const vocab = out.dims[2]!;
    let sum = 0;
    target.forEach((token, j) => {
      const row = Array.from(data.subarray(j * vocab, (j + 1) * vocab));
      const max = Math.max(...row);
      const logZ = max + Math.log(row.reduce((acc, x) => acc + Math.exp(x - max), 0));
      sum += row[token]! - logZ;
    });
    return sum;
  }

  test('equals log-probabilities from transformers.js forward, rows of different lengths in one batch', async () => {
    const ids = encodeAll(m.tokenizer, SENTENCES.slice(0, TARGETS.length));
    const req = makeRequest(m.model, ids);
    const scores = await scoreSequence(m.model, req.inputIds, req.attentionMask, TARGETS);
    for (let r = 0; r < TARGETS.length; r++) {
      const expected = await reference(ids[r]!, TARGETS[r]!);
      expect(scores[r]).toBeLessThan(0);
      expect(Math.abs(scores[r]! - expected)).toBeLessThan(1e-4);
    }
  });
});
