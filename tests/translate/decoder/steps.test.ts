/** The per-step machinery of the loops: in-place row reordering, the log-softmax helper, the top-k cut. */
import { describe, expect, test } from 'vitest';
import { logNormalisers, logSumExp } from '../../../src/translate/decoder/normaliser.js';
import { gatherRows, ortTensor, reorderRowsInPlace, RowScratch } from '../../../src/translate/decoder/tensors.js';
import { TopK } from '../../../src/translate/decoder/topk.js';
import { seededRandom } from '../../../testmodel/seeded-random.js';

/** Rows of 3 floats whose values name their row: row r holds [r, r + 0.25, r + 0.5]. */
function labelled(n: number): Float32Array {
  const data = new Float32Array(n * 3);
  for (let r = 0; r < n; r++) data.set([r, r + 0.25, r + 0.5], r * 3);
  return data;
}

describe('reorderRowsInPlace', () => {
  const cases: [string, number, number[]][] = [
    ['beams copied down a chain', 4, [0, 0, 1, 2]],
    ['a swap (a cycle)', 2, [1, 0]],
    ['two cycles', 5, [1, 2, 0, 4, 3]],
    ['a cycle with a chain hanging off it', 4, [1, 0, 0, 2]],
    ['one row read by every row', 4, [3, 3, 3, 3]],
    ['rows dropped (compaction)', 6, [1, 3, 4]],
    ['rows dropped and reordered', 6, [5, 0, 5]],
    ['identity', 3, [0, 1, 2]],
  ];
  for (const [name, n, rows] of cases) {
    test(name, () => {
      const t = ortTensor('float32', labelled(n), [n, 1, 3]);
      const expected = [...(gatherRows(t, rows).data as Float32Array)];
      const out = reorderRowsInPlace(t, rows, new RowScratch());
      expect(out.dims).toEqual([rows.length, 1, 3]);
      expect([...(out.data as Float32Array)]).toEqual(expected);
      // Written over the input's own memory, never a new buffer.
      expect((out.data as Float32Array).buffer).toBe((t.data as Float32Array).buffer);
    });
  }

  test('random beam reorders over many steps match gatherRows', () => {
    const next = seededRandom(3);
    const scratch = new RowScratch();
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(next() * 12);
      const m = 1 + Math.floor(next() * n);
      const rows = Array.from({ length: m }, () => Math.floor(next() * n));
      const t = ortTensor('float32', labelled(n), [n, 3]);
      const expected = [...(gatherRows(t, rows).data as Float32Array)];
      expect([...(reorderRowsInPlace(t, rows, scratch).data as Float32Array)]).toEqual(expected);
    }
  });

  test('more rows than the tensor has: a new buffer, the input untouched', () => {
    const data = labelled(1);
    const t = ortTensor('float32', data, [1, 3]);
    const out = reorderRowsInPlace(t, [0, 0, 0], new RowScratch());
    expect([...(out.data as Float32Array)]).toEqual([0, 0.25, 0.5, 0, 0.25, 0.5, 0, 0.25, 0.5]);
    expect([...data]).toEqual([0, 0.25, 0.5]);
  });

  test('a row index outside the tensor is a RangeError, not silent garbage', () => {
    const t = ortTensor('float32', labelled(2), [2, 3]);
    expect(() => reorderRowsInPlace(t, [0, 2], new RowScratch())).toThrow(RangeError);
  });
});

describe('logNormalisers (ONNX Runtime LogSoftmax helper)', () => {
  test('matches a float64 log-sum-exp per row, width > 1 included', async () => {
    const next = seededRandom(11);
    const rows = 3;
    const width = 2;
    const vocab = 1000;
    const data = new Float32Array(rows * width * vocab).map(() => (next() - 0.5) * 40);
    const lse = await logNormalisers(ortTensor('float32', data, [rows, width, vocab]));
    expect(lse.length).toBe(rows * width);
    for (let r = 0; r < rows * width; r++) {
      const row = data.subarray(r * vocab, (r + 1) * vocab);
      let max = -Infinity;
      for (const v of row) max = Math.max(max, v);
      let sum = 0;
      for (const v of row) sum += Math.exp(v - max);
      // float32 log-probabilities: a few units in the last place of values around 20.
      expect(Math.abs(lse[r]! - (max + Math.log(sum)))).toBeLessThan(2e-5);
    }
  });

  test('token 0 masked to -Infinity falls back to the exact sum; an all -Infinity row gives NaN', async () => {
    const data = new Float32Array([-Infinity, 0, 0, 0, -Infinity, -Infinity, -Infinity, -Infinity]);
    const lse = await logNormalisers(ortTensor('float32', data, [2, 1, 4]));
    expect(lse[0]).toBeCloseTo(Math.log(3), 12);
    expect(lse[1]).toBeNaN();
    expect(logSumExp(new Float32Array([1, 1]))).toBeCloseTo(1 + Math.log(2), 12);
  });
});

describe('TopK.scan with its raw-value cut', () => {
  test('same entries as scoring every value, over rows with large, small and equal scores', () => {
    const next = seededRandom(5);
    for (let trial = 0; trial < 100; trial++) {
      const k = 1 + Math.floor(next() * 8);
      const fast = new TopK(k);
      const naive: [number, number][] = [];
      for (let row = 0; row < 4; row++) {
        const vocab = 200;
        // Odd trials: few distinct values (ties at the k-th place); even: dense values a hair apart.
        const value = trial % 2 ? () => Math.round(next() * 20) / 4 : () => next() * 0.01;
        const data = new Float32Array(vocab).map(() => value() - (next() < 0.05 ? Infinity : 0));
        const base = -Math.round(next() * 400) / 7;
        const logZ = 3 + next();
        fast.scan(data, base, logZ, row * vocab);
        data.forEach((x, v) => {
          const s = Math.fround(base + Math.fround(x - logZ));
          if (s !== -Infinity) naive.push([s, row * vocab + v]);
        });
      }
      naive.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      const got = Array.from({ length: fast.size }, (_, i) => [fast.score(i), fast.index(i)]);
      expect(got).toEqual(naive.slice(0, k));
    }
  });

  test('a NaN normaliser offers nothing', () => {
    const t = new TopK(2);
    t.scan(new Float32Array([1, 2, 3]), 0, NaN, 0);
    expect(t.size).toBe(0);
  });
});
