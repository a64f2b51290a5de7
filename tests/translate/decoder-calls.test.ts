import { describe, expect, it } from 'vitest';
import { decoderCalls } from '../../src/translate/decoder-calls.js';

const limits = { rows: 48, rowTokens: 1536, freeRows: 0 };

describe('decoderCalls', () => {
  it('takes every sentence once, shortest first', () => {
    const lengths = [30, 5, 17, 5, 42];
    const calls = decoderCalls(lengths, 1, limits);
    expect(calls.flat().sort()).toEqual([0, 1, 2, 3, 4]);
    expect(calls.flat().map((i) => lengths[i])).toEqual([5, 5, 17, 30, 42]);
  });

  it('keeps rows (sentences × beams) within the row limit, in calls of even size', () => {
    const calls = decoderCalls(Array(9).fill(10), 6, limits);
    expect(calls.map((c) => c.length)).toEqual([5, 4]);
    const greedy = decoderCalls(Array(100).fill(10), 1, limits);
    // 100 rows need 3 calls of at most 48; ceil(100 / 3) = 34 each, the rest in the last.
    expect(greedy.map((c) => c.length)).toEqual([34, 34, 32]);
  });

  it('keeps rows × the longest input within the token limit: long sentences go in smaller calls', () => {
    // 16 sentences of 120 tokens at 1 beam: 16 × 120 = 1,920 > 1,536.
    const calls = decoderCalls(Array(16).fill(120), 1, limits);
    for (const c of calls) expect(c.length * 120).toBeLessThanOrEqual(1536);
    expect(calls.map((c) => c.length)).toEqual([8, 8]);
    // Short and long together: the short ones share a call, the long ones are split.
    const mixed = decoderCalls([...Array(8).fill(10), ...Array(4).fill(200)], 2, limits);
    for (const c of mixed) {
      const longest = Math.max(...c.map((i) => (i < 8 ? 10 : 200)));
      expect(c.length * 2 * longest).toBeLessThanOrEqual(1536);
    }
  });

  it('always lets a call hold freeRows rows, whatever their length', () => {
    const free = { ...limits, freeRows: 16 };
    // 16 rows of 120 tokens (1,920) fit as one call; a 17th row would not.
    expect(decoderCalls(Array(16).fill(120), 1, free).map((c) => c.length)).toEqual([16]);
    expect(decoderCalls(Array(20).fill(120), 1, free).map((c) => c.length)).toEqual([10, 10]);
    // 6 beams: two sentences (12 rows) always; a third (18 rows × 120) is over the limit.
    expect(decoderCalls(Array(4).fill(120), 6, free).map((c) => c.length)).toEqual([2, 2]);
  });

  it('sends a sentence over the token limit alone rather than never', () => {
    expect(decoderCalls([400, 3], 6, limits)).toEqual([[1], [0]]);
  });
});
