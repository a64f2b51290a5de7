import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from '../../src/write/html.js';
import { MD_DOC, TEXT_DOC } from './fixtures.js';

describe('renderHtml (static checks; behaviour in a browser is in html.browser.test.ts)', () => {
  const html = renderHtml(TEXT_DOC);

  it('escapes the five HTML-special characters and shows control characters', () => {
    expect(escapeHtml(`a&b<c>d"e'f\u0000g`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f␀g');
  });

  it('contains no markup from the document text, only its own single script', () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).not.toContain('\u0007');
  });

  it('is self-contained: no external URL, and a CSP that forbids network loads', () => {
    expect(html).not.toMatch(/(?:src|href)\s*=|url\(|@import|https?:\/\//i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
  });

  it('puts the title in <title> and <h1>, and the file name and model in the header', () => {
    expect(html).toContain('<title>Banjir &amp; &quot;Hujan&quot; &lt;Jakarta&gt; — Floods &amp; &quot;Rain&quot; &lt;Jakarta&gt;</title>');
    expect(html).toMatch(/<h1[^>]*>.*Banjir &amp;.*Floods &amp;.*<\/h1>/);
    expect(html).toContain('Source: berita/banjir.txt');
    expect(html).toContain('Model: Xenova/opus-mt-id-en (q8, abc123def456)');
  });

  it('pairs each sentence with its counterpart by a shared index', () => {
    for (const key of ['1-0', '1-1', '2-0', '2-1', '3-0']) {
      expect(html.match(new RegExp(`data-s="${key}"`, 'g'))).toHaveLength(2);
    }
    // The marker explains itself when pointed at (the flag legend, also in the README and the report).
    expect(html).toContain('<span class="flag" title="repetition: the English repeats a word or phrase far more often than the Indonesian (a model loop)">⚠ repetition</span>');
    expect(html).toContain('[translation failed: model crashed &lt;oops&gt; | &quot;bad&quot;]');
  });

  it('uses the first heading as <title> when the file does not start with one, else the file name', () => {
    const later = renderHtml({ ...MD_DOC, blocks: MD_DOC.blocks.filter((b) => b.kind !== 'title' && b.level !== 1) });
    expect(later).toContain('<title>Sub</title>');
    expect(later).toMatch(/<h1 class="row wide"><span class="cell">catatan\.md<\/span><\/h1>/);
  });

  it('uses the file name as title when there is no heading, and shows code once', () => {
    const md = renderHtml({ ...MD_DOC, blocks: MD_DOC.blocks.filter((b) => b.kind !== 'title' && b.kind !== 'heading') });
    expect(md).toContain('<title>catatan.md</title>');
    expect(md.match(/indented\(\);/g)).toHaveLength(1);
    expect(md).toContain('const a = b | c; // &lt;x&gt; `y` *z*');
  });
});
