import { describe, expect, it } from 'vitest';
import { assembleSentence, reassembleBlock, unitsOf, type BlockPlan } from '../../src/reassemble/reassemble.js';
import type { Block } from '../../src/types.js';

const upper = (u: string) => ({ target: u.toUpperCase() });

describe('assembleSentence', () => {
  it('keeps frozen spans and the whitespace around translated parts', () => {
    const parts = [
      { text: 'Lihat ', frozen: false },
      { text: '[', frozen: true },
      { text: 'halaman ini', frozen: false },
      { text: '](https://contoh.id/a_b.html)', frozen: true },
      { text: '  untuk\n detail.', frozen: false },
    ];
    expect(assembleSentence(parts, upper)).toEqual({ target: 'LIHAT [HALAMAN INI](https://contoh.id/a_b.html)  UNTUK DETAIL.' });
  });

  it('sends units with inner whitespace collapsed', () => {
    const seen: string[] = [];
    assembleSentence([{ text: ' satu\n  dua ', frozen: false }], (u) => {
      seen.push(u);
      return { target: u };
    });
    expect(seen).toEqual(['satu dua']);
  });

  it('fails the sentence when a part failed', () => {
    const r = assembleSentence([{ text: 'a', frozen: false }, { text: 'b', frozen: false }], (u) => (u === 'b' ? { error: 'boom' } : { target: u }));
    expect(r).toEqual({ target: '', error: 'boom' });
  });
});

describe('reassembleBlock', () => {
  const block: Block = { kind: 'paragraph', marker: '', source: 'Satu. Dua.', trailer: '\n', translate: true };
  const plan: BlockPlan = {
    leading: '',
    sentences: [
      { text: 'Satu.', trailing: ' ', parts: [{ text: 'Satu.', frozen: false }] },
      { text: 'Dua.', trailing: '', parts: [{ text: 'Dua.', frozen: false }] },
    ],
  };

  it('joins sentence targets with the source separators', () => {
    const b = reassembleBlock(block, plan, [{ target: 'One.' }, { target: 'Two.', flags: ['too-short'] }]);
    expect(b.target).toBe('One. Two.');
    expect(b.segments[1]).toEqual({ source: 'Dua.', target: 'Two.', trailing: '', flags: ['too-short'] });
    expect(unitsOf(plan)).toEqual(['Satu.', 'Dua.']);
  });

  it('keeps a failed sentence in its source language in the English text', () => {
    const b = reassembleBlock(block, plan, [{ target: 'One.' }, { target: '', error: 'model failed' }]);
    expect(b.target).toBe('One. Dua.');
    expect(b.segments[1]!.error).toBe('model failed');
  });

  it('copies blocks that are not translated', () => {
    const code: Block = { kind: 'code', marker: '```\n', source: 'ls -l', trailer: '\n```\n', translate: false };
    expect(reassembleBlock(code, null, [])).toMatchObject({ target: 'ls -l', segments: [] });
  });
});
