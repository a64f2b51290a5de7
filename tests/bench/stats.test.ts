import { describe, expect, it } from 'vitest';
import { median, perSecond, round } from '../../bench/stats.js';
import { summarize } from '../../bench/report.js';
import type { RunNumbers } from '../../bench/sides.js';

describe('median', () => {
  it('takes the middle of an unsorted odd-length list', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([3, 100, 2, 1, 50])).toBe(3);
  });

  it('averages the two middle values of an even-length list', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses an empty list and non-finite values', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([1, Number.NaN, 2])).toThrow(RangeError);
  });
});

describe('perSecond and round', () => {
  it('computes a rate and never divides by zero', () => {
    expect(perSecond(500, 2000)).toBe(250);
    expect(perSecond(500, 0)).toBe(0);
  });

  it('rounds to the asked decimals', () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(1234.5, 0)).toBe(1235);
  });
});

describe('summarize', () => {
  const run = (elapsed: number, total: number, tokens: number, rss: number): RunNumbers => ({
    elapsed_ms: elapsed,
    total_ms: total,
    load_ms: null,
    source_words: 1000,
    generated_tokens: tokens,
    ort_time_share: 0.5,
    peak_rss_mb: rss,
  });

  it('reports the median run, so one outlier does not move the figures', () => {
    const s = summarize([run(1000, 2000, 300, 500), run(10_000, 11_000, 300, 900), run(2000, 4000, 300, 600)], 1000);
    // Rates per run: 1000, 100, 500 words/s -> median 500.
    expect(s.words_per_s).toBe(500);
    expect(s.words_per_s_incl_load).toBe(250);
    expect(s.generated_tokens_per_s).toBe(150);
    expect(s.elapsed_ms).toBe(2000);
    expect(s.peak_rss_mb).toBe(600);
    expect(s.runs).toBe(3);
  });
});
