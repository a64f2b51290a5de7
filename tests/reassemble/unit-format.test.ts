import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { escapeMarkdownUnit, finishUnit, humanEnglish, prepareParts } from '../../src/reassemble/unit-format.js';

const md = new MarkdownIt('commonmark').enable('table');

describe('escapeMarkdownUnit', () => {
  it('escapes English that starts with block markup, and nothing else', () => {
    const cases: Array<[string, string]> = [
      ['> kutipan', '\\> kutipan'],
      ['# judul', '\\# judul'],
      ['- butir', '\\- butir'],
      ['+ butir', '\\+ butir'],
      ['* butir', '\\* butir'],
      ['1. satu', '1\\. satu'],
      ['12) dua', '12\\) dua'],
      ['=== garis', '\\=== garis'],
      ['```kode', '\\```kode'],
      ['~~~', '\\~~~'],
      ['<div> x', '\\<div> x'],
      ['[x]: /u', '\\[x]: /u'],
      ['a | b', 'a &#124; b'],
      ['Plain words - here.', 'Plain words - here.'],
      ['  spaced\nout  ', 'spaced out'],
    ];
    for (const [input, want] of cases) expect(escapeMarkdownUnit(input), input).toBe(want);
  });

  it('what it escapes renders as the same text, as a paragraph', () => {
    for (const s of ['> a', '# b', '- c', '1. d', '=== e', '```f', '[x]: /u', 'a | b']) {
      const tokens = md.parse(escapeMarkdownUnit(s), {}).map((t) => t.type);
      expect(tokens, s).toEqual(['paragraph_open', 'inline', 'paragraph_close']);
      expect(md.renderInline(escapeMarkdownUnit(s)).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'), s).toBe(s);
    }
  });
});

describe('finishUnit and prepareParts for HTML', () => {
  it('escapes the English as HTML text, and gives the model decoded text', () => {
    expect(finishUnit('html')('a < b & c')).toBe('a &lt; b &amp; c');
    expect(finishUnit('text')('a < b')).toBe('a < b');
    expect(prepareParts('html', [{ text: 'Rp&nbsp;5 &amp; &#8220;x&#x201D;', frozen: false }])[0]!.unit).toBe('Rp\u00a05 & \u201cx\u201d');
  });
});

describe('humanEnglish', () => {
  const source = 'Presiden <b class="x">Joko</b> tiba &amp; berbicara.';
  it('keeps a web page English that holds only the source sentence\'s own tags and valid references', () => {
    expect(humanEnglish('html', 'President <b class="x">Joko</b> arrived &amp; spoke.', source)).toBe('President <b class="x">Joko</b> arrived &amp; spoke.');
  });
  it('escapes, in a web page, an English with a tag the source lacks, a stray "<" or a bare "&"', () => {
    expect(humanEnglish('html', 'Hi <script>alert(1)</script>', source)).toBe('Hi &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(humanEnglish('html', '<img src=x onerror=alert(1)>', source)).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(humanEnglish('html', '<b>Joko</b> spoke', source)).toBe('&lt;b&gt;Joko&lt;/b&gt; spoke');
    expect(humanEnglish('html', 'Tom & Jerry', source)).toBe('Tom &amp; Jerry');
    expect(humanEnglish('html', '1 < 2', source)).toBe('1 &lt; 2');
  });
  it('leaves other formats as the person typed them', () => {
    expect(humanEnglish('text', 'Hi <script>x</script> & co', source)).toBe('Hi <script>x</script> & co');
    expect(humanEnglish('markdown', 'Hi <b>x</b>', source)).toBe('Hi <b>x</b>');
  });
});
