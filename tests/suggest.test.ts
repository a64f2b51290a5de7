import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../src/suggest.js';

describe('nearest', () => {
  it('finds a likely typo, a swap of two letters included', () => {
    expect(editDistance('frce', 'force')).toBe(1);
    expect(editDistance('batch_szie', 'batch_size')).toBe(1);
    expect(nearest('--frce', ['--force', '--formats', '--out'])).toBe('--force');
    expect(nearest('queue.batch_siz', ['queue.batch_size', 'queue.batch_tokens'])).toBe('queue.batch_size');
  });

  it('suggests nothing for a word that is not close to any', () => {
    expect(nearest('--zebra', ['--force', '--out'])).toBeUndefined();
  });
});
