import { describe, expect, it } from 'vitest';
import { IdsCache } from '../../src/translate/worker-pool.js';

/** A tokenizer that counts its calls: one id per word. */
function countingTokenizer(): { encode(text: string): number[]; calls: number } {
  return {
    calls: 0,
    encode(text: string) {
      this.calls++;
      return text.split(' ').map((w) => w.length);
    },
  };
}

describe('IdsCache', () => {
  it('tokenizes a text once while it is recent, and gives the same ids as the tokenizer', () => {
    const tok = countingTokenizer();
    const ids = new IdsCache(tok, 3);
    expect(ids.encode('satu dua')).toEqual([4, 3]);
    expect(ids.encode('satu dua')).toEqual([4, 3]);
    expect(tok.calls).toBe(1);
  });

  it('forgets the oldest texts beyond its limit', () => {
    const tok = countingTokenizer();
    const ids = new IdsCache(tok, 2);
    ids.encode('a');
    ids.encode('b');
    ids.encode('c');
    expect(tok.calls).toBe(3);
    ids.encode('c');
    ids.encode('b');
    expect(tok.calls).toBe(3);
    ids.encode('a');
    expect(tok.calls).toBe(4);
  });
});
