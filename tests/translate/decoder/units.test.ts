import { describe, expect, test } from 'vitest';
import { Hypotheses } from '../../../src/translate/decoder/hypotheses.js';
import { applyRepetitionPenalty, argmax, badWordTokens, bannedNgramTokens, processedLogprobs } from '../../../src/translate/decoder/logits.js';
import { TopK } from '../../../src/translate/decoder/topk.js';

describe('logits processors', () => {
  test('repetition penalty divides positive and multiplies negative scores of seen tokens, once each', () => {
    const row = new Float32Array([2, -2, 3, 0.5]);
    applyRepetitionPenalty(row, [3, 0, 1, 0, 3], 2);
    expect([...row]).toEqual([1, -4, 3, 0.25]);
  });

  test('no-repeat n-grams ban the tokens that would complete an n-gram already in the history', () => {
    // history ends with [5, 6]; the 3-grams starting with [5, 6] so far end in 7 and 9.
    expect(bannedNgramTokens([9, 5, 6, 7, 5, 6, 9, 5, 6], 3).sort()).toEqual([7, 9]);
    expect(bannedNgramTokens([9, 5, 6, 7], 3)).toEqual([]);
    // Too short to hold one n-gram: nothing banned.
    expect(bannedNgramTokens([5, 6], 3)).toEqual([]);
    // n = 1 bans every token seen.
    expect(bannedNgramTokens([4, 2, 4], 1).sort()).toEqual([2, 4, 4]);
  });

  test('bad words: single tokens always, sequences only after their prefix', () => {
    expect(badWordTokens([0, 2], [[5], [2, 3], [1, 4]]).sort()).toEqual([3, 5]);
  });

  test('beam processors act on log-probabilities: the penalty multiplies them, bans win', () => {
    // logZ = 1: log-probabilities are [-1, -3, 0, -0.5]
    const row = new Float32Array([0, -2, 1, 0.5]);
    const changed = processedLogprobs(row, 1, [3, 1, 2], { repetitionPenalty: 2, noRepeatNgramSize: 0, badWordsIds: [[2]] });
    expect(Object.fromEntries(changed)).toEqual({ 3: -1, 1: -6, 2: -Infinity });
    expect([...row]).toEqual([0, -2, 1, 0.5]);
  });

  test('argmax keeps the first of equal maxima and never picks -Infinity over a number', () => {
    expect(argmax(new Float32Array([-Infinity, 3, 1, 3]))).toBe(1);
    expect(argmax(new Float32Array([-Infinity, -50]))).toBe(1);
  });
});

describe('TopK', () => {
  test('keeps the k best over several rows, best first, lower index first on ties, no -Infinity', () => {
    const t = new TopK(3);
    t.scan(new Float32Array([-1, -3, -Infinity]), 0, 0, 0);
    t.scan(new Float32Array([-1, 0.5, 0]), -0.5, 1, 3);
    const got = Array.from({ length: t.size }, (_, i) => [t.score(i), t.index(i)]);
    expect(got).toEqual([[-1, 0], [-1, 4], [-1.5, 5]]);
  });

  test('ties rank by index whatever the order of offers', () => {
    const t = new TopK(2);
    t.offer(-1, 9);
    t.offer(-1, 4);
    t.offer(-1, 7);
    expect([t.index(0), t.index(1)]).toEqual([4, 7]);
  });
});

describe('Hypotheses (HF BeamHypotheses)', () => {
  test('scores by sum / length ** penalty and keeps the num_beams best', () => {
    const h = new Hypotheses(2, 1, true);
    h.add([1], -4, 2); // -2
    h.add([2], -3, 3); // -1
    h.add([3], -9, 3); // -3: worse than the worst kept, rejected
    h.add([4], -1, 4); // -0.25: replaces -2
    expect(h.size).toBe(2);
    expect(h.best()?.tokens).toEqual([4]);
    expect(h.isDone(0, 5)).toBe(true);
  });

  test('length penalty 2 prefers longer hypotheses', () => {
    const h = new Hypotheses(3, 2, true);
    h.add([1], -2, 2); // -0.5
    h.add([1, 2, 3], -4, 4); // -0.25
    expect(h.best()?.tokens).toEqual([1, 2, 3]);
  });

  test('early_stopping false: done only when no running beam can beat the worst kept', () => {
    const h = new Hypotheses(1, 1, false);
    expect(h.isDone(-1, 2)).toBe(false);
    h.add([1], -2, 2); // -1
    expect(h.isDone(-1, 2)).toBe(false); // best running -0.5 > -1
    expect(h.isDone(-3, 3)).toBe(true); // -1 >= -1
  });

  test('of equal best scores the last added wins (stable sort, then pop)', () => {
    const h = new Hypotheses(3, 1, true);
    h.add([1], -2, 2);
    h.add([2], -2, 2);
    expect(h.best()?.tokens).toEqual([2]);
  });
});
