/**
 * The two self-attention cache forms must hand the decoder the same past values through any
 * sequence of steps, dropped rows, beam reorders and growth (the decoder tests check the tokens end
 * to end; this checks the values themselves, with growth and cycles forced).
 */
import { describe, expect, test } from 'vitest';
import { CACHE, presentName } from '../../../src/translate/decoder/cache-graph.js';
import { OwnedCache, PresentCache, type CacheShape } from '../../../src/translate/decoder/self-cache.js';
import { ortTensor, RowScratch, type OrtTensor } from '../../../src/translate/decoder/tensors.js';
import { Rng } from '../../../testmodel/seeded-random.js';

const shape: CacheShape = { names: ['past_key_values.0.decoder.key', 'past_key_values.0.decoder.value'], heads: 2, headDim: 3 };

/** The past each form feeds, as [rows][head][position][dim] numbers. */
function pastOf(feeds: Record<string, OrtTensor>, name: string): number[][][][] {
  const owned = feeds[CACHE.buffer(name)];
  const t = owned ?? feeds[name]!;
  const [rows, heads, cap, hd] = t.dims as [number, number, number, number];
  const length = owned ? Number((feeds[CACHE.pastLength]!.data as BigInt64Array)[0]) : cap;
  const data = t.data as Float32Array;
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: heads }, (_, h) => Array.from({ length }, (_, p) => Array.from(data.subarray(((r * heads + h) * cap + p) * hd, ((r * heads + h) * cap + p + 1) * hd)))),
  );
}

/** A step's outputs for both forms: the new position (dwb_new) and the whole cache (present). */
function stepOutputs(present: PresentCache, rng: Rng): { owned: Record<string, OrtTensor>; full: Record<string, OrtTensor> } {
  const owned: Record<string, OrtTensor> = {};
  const full: Record<string, OrtTensor> = {};
  const { heads, headDim } = shape;
  for (const name of shape.names) {
    const rows = present.rows;
    const fresh = Float32Array.from({ length: rows * heads * headDim }, () => Math.round(rng.uniform() * 1000) / 10);
    owned[CACHE.newEntry(presentName(name))] = ortTensor('float32', fresh, [rows, heads, 1, headDim]);
    const past = pastOf(present.feeds(), name);
    const L = present.length;
    const out = new Float32Array(rows * heads * (L + 1) * headDim);
    for (let r = 0; r < rows; r++) {
      for (let h = 0; h < heads; h++) {
        const at = ((r * heads + h) * (L + 1)) * headDim;
        past[r]![h]!.forEach((pos, p) => out.set(pos, at + p * headDim));
        out.set(fresh.subarray((r * heads + h) * headDim, (r * heads + h + 1) * headDim), at + L * headDim);
      }
    }
    full[presentName(name)] = ortTensor('float32', out, [rows, heads, L + 1, headDim]);
  }
  return { owned, full };
}

describe('OwnedCache and PresentCache', () => {
  test('feed the same past through steps, growth, dropped rows, repeats and beam cycles', () => {
    const rng = new Rng(7);
    const owned = new OwnedCache(shape, 4, 40, 2);
    const present = new PresentCache(shape, 4);
    const scratch = new RowScratch();
    const moves: number[][] = [[1, 0, 3, 2], [2, 2, 0], [0, 1, 2, 0, 1, 2], [5, 4, 3, 2, 1, 0], [1, 3, 5], [2, 0, 1], [0]];
    for (let step = 0; step < 30; step++) {
      const out = stepOutputs(present, rng);
      owned.advance(out.owned);
      present.advance(out.full);
      expect(owned.length).toBe(step + 1);
      const move = moves[step % moves.length]!;
      if (step % 2 === 1 && move.every((r) => r < present.rows)) {
        owned.select(move, scratch);
        present.select(move, scratch);
      }
      for (const name of shape.names) expect(pastOf(owned.feeds(), name)).toEqual(pastOf(present.feeds(), name));
    }
  });

  test('never grows past its limit', () => {
    const owned = new OwnedCache(shape, 1, 3, 2);
    const one = (): Record<string, OrtTensor> =>
      Object.fromEntries(shape.names.map((n) => [CACHE.newEntry(presentName(n)), ortTensor('float32', new Float32Array(6), [1, 2, 1, 3])]));
    owned.advance(one());
    owned.advance(one());
    owned.advance(one());
    expect(() => owned.advance(one())).toThrow(/full at its limit of 3/);
  });
});
