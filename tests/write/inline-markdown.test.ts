import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/write/html.js';
import { inlinePlainText, isSafeUrl, renderInlinePieces } from '../../src/write/inline-markdown.js';

const sentence = (markdown: string, n: number) => ({ markdown, open: `<span id="s${n}">`, close: '</span>' });
const gap = (markdown: string) => ({ markdown, open: '', close: '' });

describe('renderInlinePieces', () => {
  it('renders emphasis that spans two sentences, closing and reopening it at the boundary', () => {
    const html = renderInlinePieces([sentence('**Satu.', 0), gap(' '), sentence('Dua.**', 1)], escapeHtml);
    expect(html).toBe('<span id="s0"><strong>Satu.</strong></span> <span id="s1"><strong>Dua.</strong></span>');
  });

  it('gives an empty sentence (a failed translation) its element too', () => {
    const html = renderInlinePieces([sentence('*a*', 0), gap(' '), sentence('', 1)], escapeHtml);
    expect(html).toBe('<span id="s0"><em>a</em></span> <span id="s1"></span>');
  });

  it('escapes text and keeps raw HTML as text', () => {
    expect(renderInlinePieces([sentence('<b onclick="x()">&amp; `<i>`', 0)], escapeHtml)).toBe(
      '<span id="s0">&lt;b onclick=&quot;x()&quot;&gt;&amp; <code>&lt;i&gt;</code></span>',
    );
  });

  it('gives up (undefined) only when the text holds every sentinel space', () => {
    let all = '';
    for (let c = 0x2000; c <= 0x200a; c++) all += String.fromCharCode(c);
    expect(renderInlinePieces([sentence(all, 0)], escapeHtml)).toBeUndefined();
    expect(renderInlinePieces([sentence(all.slice(1), 0)], escapeHtml)).toBe(`<span id="s0">${all.slice(1)}</span>`);
  });
});

describe('isSafeUrl', () => {
  it('allows http(s), mailto and relative addresses, nothing else', () => {
    for (const url of ['https://x.id/a', 'http://x', 'mailto:a@b.id', 'lain.md', '../a/b.html#c', '#top', '?q=1']) {
      expect(isSafeUrl(url), url).toBe(true);
    }
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:x', 'java\tscript:x', ' javascript:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd']) {
      expect(isSafeUrl(url), url).toBe(false);
    }
  });
});

describe('inlinePlainText', () => {
  it('drops the markup and keeps the words', () => {
    expect(inlinePlainText('Judul *penting* dan `kode` [tautan](x.md)')).toBe('Judul penting dan kode tautan');
  });
});
