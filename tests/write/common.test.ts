import { describe, expect, it } from 'vitest';
import type { TranslatedBlock } from '../../src/types.js';
import { leadingTitle, listBullet, listDepth, sentencePairs, visibleControls } from '../../src/write/common.js';
import { MD_DOC } from './fixtures.js';

const block = (over: Partial<TranslatedBlock>): TranslatedBlock => ({
  kind: 'paragraph',
  marker: '',
  source: '',
  trailer: '\n',
  translate: true,
  target: '',
  segments: [],
  ...over,
});

describe('sentencePairs', () => {
  it('uses the segments when they add up to the source (after leading whitespace)', () => {
    const b = block({
      source: '  Satu. Dua.',
      target: 'One. Two.',
      segments: [
        { source: 'Satu.', target: 'One.', trailing: ' ' },
        { source: 'Dua.', target: 'Two.', trailing: '', flags: ['too-short'] },
      ],
    });
    expect(sentencePairs(b).map((p) => [p.source, p.target, p.flags])).toEqual([
      ['Satu.', 'One.', []],
      ['Dua.', 'Two.', ['too-short']],
    ]);
  });

  it('falls back to the whole block when segments lose text, keeping flags and errors', () => {
    const b = block({
      source: 'Satu. Dua. Tiga.',
      target: 'One. Three.',
      segments: [
        { source: 'Satu.', target: 'One.', trailing: ' ', flags: ['repetition'] },
        { source: 'Tiga.', target: '', trailing: '', error: 'boom' },
      ],
    });
    expect(sentencePairs(b)).toEqual([
      { source: 'Satu. Dua. Tiga.', target: 'One. Three.', trailing: '', flags: ['repetition'], error: 'boom' },
    ]);
  });

  it('pairs an untranslated block with itself', () => {
    const b = block({ kind: 'code', translate: false, source: 'x = 1', target: 'ignored' });
    expect(sentencePairs(b)).toEqual([{ source: 'x = 1', target: 'x = 1', trailing: '', flags: [] }]);
  });
});

describe('list markers and controls', () => {
  it('shows bullets, numbers and task boxes, and nesting depth', () => {
    expect(listBullet('- ')).toBe('•');
    expect(listBullet('> * ')).toBe('•');
    expect(listBullet('12) ')).toBe('12)');
    expect(listBullet('- [x] ')).toBe('• ☑');
    expect(listBullet('+ [ ] ')).toBe('• ☐');
    expect(listDepth('- ')).toBe(0);
    expect(listDepth('    - ')).toBe(2);
    expect(listDepth('\t- ')).toBe(2);
  });

  it('makes control characters and lone surrogates visible, leaving tabs, newlines and emoji', () => {
    expect(visibleControls('a\u0000b\u001bc\u007fd\te\nf😀\uD800g')).toBe('a␀b␛c␡d\te\nf😀\uFFFDg');
  });

  it('finds the title after front matter but not after a paragraph', () => {
    expect(leadingTitle(MD_DOC)?.source).toBe('Judul | utama');
    const late = { ...MD_DOC, blocks: [block({ source: 'Pembuka.' }), ...MD_DOC.blocks] };
    expect(leadingTitle(late)).toBeUndefined();
  });
});
