import { describe, expect, it } from 'vitest';
import { takeBatch, type PendingSegment } from '../../src/translate/batcher.js';

const seg = (seq: number, tokens: number): PendingSegment => ({ text: `s${seq}`, tokens, seq });

describe('takeBatch', () => {
  it('always takes the oldest segment, with neighbours closest in length', () => {
    const pool = [seg(5, 10), seg(0, 30), seg(1, 31), seg(2, 3), seg(3, 29), seg(4, 60)];
    const batch = takeBatch(pool, { batchSize: 3, batchTokens: 1000 });
    expect(batch.map((s) => s.seq).sort()).toEqual([0, 1, 3]);
    expect(pool.map((s) => s.seq).sort()).toEqual([2, 4, 5]);
  });

  it('keeps rows × longest within the token budget, but never returns an empty batch', () => {
    const pool = [seg(0, 100), seg(1, 100), seg(2, 100)];
    expect(takeBatch(pool, { batchSize: 8, batchTokens: 250 })).toHaveLength(2);
    expect(takeBatch([seg(0, 900)], { batchSize: 8, batchTokens: 250 })).toHaveLength(1);
    expect(takeBatch([], { batchSize: 8, batchTokens: 250 })).toEqual([]);
  });

  it('drains a pool completely, each segment once', () => {
    const pool = Array.from({ length: 100 }, (_, i) => seg(i, 1 + ((i * 37) % 50)));
    const seen: number[] = [];
    while (pool.length > 0) seen.push(...takeBatch(pool, { batchSize: 7, batchTokens: 200 }).map((s) => s.seq));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
