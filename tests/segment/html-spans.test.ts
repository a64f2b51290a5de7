import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlFrozenRanges, maskHtml } from '../../src/segment/html-spans.js';
import { segmentBlock } from '../../src/segment/segment-block.js';

describe('htmlFrozenRanges', () => {
  it('freezes tags (quoted ">" included), comments and whole code and script elements', () => {
    const html = 'A <a title="x > y" href=\'/z\'>b</a> <!-- c --> <code>d e</code> <script>if (a<b) f()</script> g';
    const frozen = htmlFrozenRanges(html).map(([a, b]) => html.slice(a, b));
    expect(frozen).toEqual(expect.arrayContaining(['<a title="x > y" href=\'/z\'>', '</a>', '<!-- c -->', '<code>d e</code>', '<script>if (a<b) f()</script>']));
  });

  it('masks with spaces of the same length', () => {
    expect(maskHtml('akhir.</b> Lalu')).toBe('akhir.     Lalu');
  });
});

describe('decodeEntities', () => {
  it('decodes numeric and common named references, and leaves unknown ones as written', () => {
    expect(decodeEntities('&lt;&#65;&#x42;&hellip;&nbsp;&bogus; &#0;')).toBe('<AB…\u00a0&bogus; \uFFFD');
  });
});

describe('segmentBlock on HTML', () => {
  it('splits sentences on the text with tags read as spaces, never inside a tag', () => {
    const plan = segmentBlock('Satu <a title="Hal. 2. Bab">dua</a>. Tiga <b>empat.</b> Lima.', { maxTokens: 50, countTokens: (s) => s.length, markdown: false, html: true });
    expect(plan.sentences.map((s) => s.text)).toEqual(['Satu <a title="Hal. 2. Bab">dua</a>.', 'Tiga <b>empat.', 'Lima.']);
    expect(plan.sentences[1]!.trailing).toBe('</b> ');
  });
});
