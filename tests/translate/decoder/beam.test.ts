import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { beamDecode } from '../../../src/translate/decoder/beam.js';
import { greedyDecode } from '../../../src/translate/decoder/greedy.js';
import { decodeBatch } from '../../../src/translate/decoder/decode-batch.js';
import { generateDecode } from '../../../src/translate/decoder/generate.js';
import { scoreSequence } from '../../../src/translate/decoder/score.js';
import { newStats } from '../../../src/translate/decoder/stats.js';
import { encodeAll, loadTestModel, makeRequest, randomRows, SENTENCES, type LoadedModel } from './helpers.js';

const EOS = 0;

describe('beam search on a tiny model (fp32)', () => {
  let m: LoadedModel;
  beforeAll(async () => {
    m = await loadTestModel({ preset: 'tiny', seed: 7 }, 'fp32');
  });
  afterAll(async () => m?.dispose());

  test('beam 4: batched == one sentence at a time', async () => {
    const ids = encodeAll(m.tokenizer, SENTENCES);
    const opts = { beams: 4, maxNewTokens: (n: number) => n + 3, repetitionPenalty: 1.3, noRepeatNgramSize: 3 };
    const batched = await beamDecode(makeRequest(m.model, ids, opts));
    // Sentences must end at different steps for the leaving of finished sentences to be exercised.
    expect(new Set(batched.map((r) => r.length)).size).toBeGreaterThan(3);
    for (let r = 0; r < ids.length; r++) {
      expect((await beamDecode(makeRequest(m.model, [ids[r]!], opts)))[0]).toEqual(batched[r]);
    }
  });

  test('one beam gives exactly greedy', async () => {
    const ids = encodeAll(m.tokenizer, SENTENCES);
    for (const noRepeatNgramSize of [0, 3]) {
      const req = makeRequest(m.model, ids, { beams: 1, noRepeatNgramSize, maxNewTokens: (n) => n + 3 });
      const greedy = await greedyDecode(req);
      expect(await beamDecode(req)).toEqual(greedy);
      expect(await decodeBatch(req)).toEqual(greedy);
    }
  });

  test('decodeBatch: generate for decoder "generate", beam search for beams > 1', async () => {
    const ids = encodeAll(m.tokenizer, SENTENCES.slice(0, 4));
    const req = makeRequest(m.model, ids, { beams: 4, maxNewTokens: (n) => n + 3 });
    expect(await decodeBatch(req)).toEqual(await beamDecode(req));
    const gen = { ...req, decoder: 'generate' as const };
    expect(await decodeBatch(gen)).toEqual(await generateDecode(gen));
  });

  test('no output longer than the row limit', async () => {
    const ids = encodeAll(m.tokenizer, SENTENCES);
    const limits = ids.map((_, i) => i % 4);
    const out = await beamDecode({ ...makeRequest(m.model, ids, { beams: 3 }), maxNewTokens: limits });
    out.forEach((row, i) => expect(row.length).toBeLessThanOrEqual(limits[i]!));
    expect(out[0]).toEqual([]);
  });
});

describe('beam search finds the exhaustive optimum when it prunes nothing (vocabulary of 8)', () => {
  let m: LoadedModel;
  const VOCAB = 8; // </s>, <unk>, 5 pieces, <pad>: 6 tokens besides </s> can be generated
  beforeAll(async () => {
    m = await loadTestModel({ preset: 'tiny', seed: 5, vocabSize: VOCAB }, 'fp32');
  });
  afterAll(async () => m?.dispose());

  /** Every output of at most `max` tokens: ended by </s>, or `max` tokens long without it. */
  function allSequences(max: number): { tokens: number[]; scored: number[] }[] {
    const out: { tokens: number[]; scored: number[] }[] = [];
    const grow = (prefix: number[]): void => {
      out.push({ tokens: prefix, scored: [...prefix, EOS] });
      if (prefix.length === max) {
        out.push({ tokens: prefix, scored: prefix });
        return;
      }
      for (let t = 1; t < VOCAB - 1; t++) grow([...prefix, t]);
    };
    grow([]);
    // A prefix of the full length with </s> would be max + 1 tokens: beyond the limit.
    return out.filter((s) => s.scored.length <= max || !s.scored.includes(EOS));
  }

  for (const [lengthPenalty, earlyStopping] of [[1, true], [2, false], [0, true]] as const) {
    test(`length penalty ${lengthPenalty}, early stopping ${earlyStopping}`, async () => {
      const inputs = randomRows(40, 2, 6, VOCAB, 9);
      const limits = inputs.map((_, i) => (i % 4 === 3 ? 4 : 3));
      const sequences = limits.map(allSequences);
      // Wide enough to keep every sequence: nothing is pruned, so the best must be the true best.
      const beams = Math.max(...sequences.map((s) => s.length));
      const req = { ...makeRequest(m.model, inputs, { beams, lengthPenalty, earlyStopping }), maxNewTokens: limits };
      const out = await beamDecode(req);
      for (let r = 0; r < inputs.length; r++) {
        const one = makeRequest(m.model, Array(sequences[r]!.length).fill(inputs[r]));
        const sums = await scoreSequence(m.model, one.inputIds, one.attentionMask, sequences[r]!.map((s) => s.scored));
        const scores = sums.map((s, i) => s / sequences[r]![i]!.scored.length ** lengthPenalty);
        const best = Math.max(...scores);
        const winners = sequences[r]!.filter((_, i) => Math.abs(scores[i]! - best) < 1e-4).map((s) => s.tokens);
        expect(winners).toContainEqual(out[r]);
      }
    });
  }
});

describe('beam 4 against greedy over 300 short inputs (fp32, eos at input length)', () => {
  let m: LoadedModel;
  beforeAll(async () => {
    m = await loadTestModel({ preset: 'tiny', seed: 13, eosAtInputLength: true }, 'fp32');
  });
  afterAll(async () => m?.dispose());

  test('mean length-normalised model score: beam 4 > greedy; finished sentences leave the batch', async () => {
    const inputs = randomRows(300, 3, 8, 512, 21);
    let greedyTotal = 0;
    let beamTotal = 0;
    for (let i = 0; i < inputs.length; i += 50) {
      const chunk = inputs.slice(i, i + 50);
      const greedyReq = makeRequest(m.model, chunk);
      const stats = newStats();
      const greedy = await greedyDecode(greedyReq);
      const beam = await beamDecode({ ...greedyReq, beams: 4 }, stats);
      // Each sentence runs 1 row on the first step, then 4 until its </s> at (input length - 1).
      expect(stats.rowSteps).toBe(chunk.reduce((sum, row) => sum + 1 + 4 * (row.length - 1), 0));
      const score = async (outs: number[][]): Promise<number> => {
        const sums = await scoreSequence(m.model, greedyReq.inputIds, greedyReq.attentionMask, outs.map((o) => [...o, EOS]));
        return sums.reduce((acc, s, r) => acc + s / (outs[r]!.length + 1), 0);
      };
      greedyTotal += await score(greedy);
      beamTotal += await score(beam);
    }
    expect(beamTotal / inputs.length).toBeGreaterThan(greedyTotal / inputs.length + 1e-3);
  });
});
