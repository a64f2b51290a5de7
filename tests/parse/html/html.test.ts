import { describe, expect, it } from 'vitest';
import { decodeHtml } from '../../../src/parse/html/charset.js';
import { parseHtml } from '../../../src/parse/html/parse-html.js';
import { reconstruct } from '../../../src/parse/reconstruct.js';
import { INLINE, NO_ARTICLE, page, windows1252Page } from './fixtures.js';

const translated = (html: string, extract: 'article' | 'all' = 'article') =>
  parseHtml(html, { extract, path: 'x.html' }).blocks.filter((b) => b.translate);

describe('parseHtml', () => {
  it('rebuilds the page exactly from its blocks', () => {
    for (const html of [INLINE, page('<p>Satu kalimat saja di sini.</p>'), INLINE.replace(/\n/g, '\r\n')]) {
      expect(reconstruct(parseHtml(html, { extract: 'article' }))).toBe(html);
      expect(reconstruct(parseHtml(html, { extract: 'all' }))).toBe(html);
    }
  });

  it('takes the title, headline, byline and article paragraphs; never nav, footer, script, style, pre or ads', () => {
    const blocks = translated(INLINE);
    const all = blocks.map((b) => b.source).join('\n');
    expect(blocks[0]).toMatchObject({ kind: 'title', source: 'Jalan Baru di Jawa Barat - Berita Kita' });
    expect(blocks[1]).toMatchObject({ kind: 'heading', level: 1, source: 'Jalan Baru di Jawa Barat' });
    expect(blocks[2]).toMatchObject({ kind: 'label', source: 'Oleh: Budi Santoso' });
    expect(all).toContain('Presiden <b>Joko Widodo</b> mengatakan');
    for (const never of ['Beranda', 'Hak cipta', 'analytics', 'font-family', 'kode --jangan', 'Iklan']) expect(all).not.toContain(never);
  });

  it('keeps inline tags inside the block source and splits a paragraph only at a <script>', () => {
    const sources = translated(INLINE).map((b) => b.source);
    expect(sources).toContain('Baris pertama alamat kantor.<br>Baris kedua alamat kantor di Bandung.');
    expect(sources.some((s) => s.includes('<a href="https://contoh.id/laporan?id=7" title="Laporan lengkap">Bank Dunia</a>'))).toBe(true);
    expect(sources).toContain('Warga menunggu <i>kabar</i> baik.');
    expect(sources).toContain('Mereka tetap berharap.');
    expect(sources.some((s) => s.includes('jangan diterjemahkan'))).toBe(false);
  });

  it('keeps a "Baca juga" box and marks it as related links', () => {
    const related = translated(INLINE).filter((b) => b.related === true).map((b) => b.source);
    expect(related).toEqual(['<strong>Baca juga:</strong>', '<a href="/a">Harga beras naik lagi</a>', '<a href="/b">Banjir di Bekasi surut</a>']);
  });

  it('extract: all takes every text block but still no navigation, footer, script, style or code', () => {
    const html = page('<p>Satu paragraf artikel yang pendek.</p>', { after: '<aside><h2>Terpopuler</h2><p>Harga cabai turun di pasar induk.</p></aside>' });
    const all = translated(html, 'all').map((b) => b.source).join('\n');
    expect(all).toContain('Harga cabai turun');
    expect(all).not.toContain('Beranda');
    expect(all).not.toContain('Hak cipta');
    expect(all).not.toContain('analytics');
    expect(all).not.toContain('kode --jangan');
  });

  it('a page with no article is an error that says how to translate it anyway', () => {
    expect(() => parseHtml(NO_ARTICLE, { extract: 'article', path: 'x.html' })).toThrow(/x\.html: no article found.*input\.html\.extract: all/);
    // Navigation and footer are never text to translate, even with extract: all; the title is.
    expect(translated(NO_ARTICLE, 'all').map((b) => b.source)).toEqual(['Beranda']);
  });
});

describe('decodeHtml', () => {
  it('reads a windows-1252 page by its http-equiv declaration', () => {
    const { text, charset } = decodeHtml(windows1252Page(), 'x.html');
    expect(charset).toBe('windows-1252');
    expect(text).toContain('caf\u00e9 \u201cSenja\u201d \u2013 tempat');
  });

  it('reads <meta charset>, keeps CRLF and the BOM, and defaults to UTF-8', () => {
    const latin = Buffer.from('<meta charset="iso-8859-1"><p>Caf\xe9</p>\r\n', 'latin1');
    expect(decodeHtml(latin, 'x.html')).toEqual({ text: '<meta charset="iso-8859-1"><p>Caf\u00e9</p>\r\n', charset: 'windows-1252' });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<p>Kopi</p>\r\n')]);
    expect(decodeHtml(bom, 'x.html')).toEqual({ text: '\uFEFF<p>Kopi</p>\r\n', charset: 'utf-8' });
  });

  it('an undeclared page that is not UTF-8 fails with the usual clear message', () => {
    expect(() => decodeHtml(Buffer.from('<p>Caf\xe9</p>', 'latin1'), 'x.html')).toThrow(/x\.html: invalid UTF-8 at byte 6 \(line 1\)/);
    expect(() => decodeHtml(Buffer.from('<meta charset="klingon"><p>x</p>'), 'x.html')).toThrow(/declares charset "klingon"/);
  });
});

describe('encodeHtml', () => {
  it('gives a decoded page its bytes back, in UTF-8 and windows-1252 (all 256 bytes)', async () => {
    const { encodeHtml } = await import('../../../src/parse/html/charset.js');
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const page = Buffer.concat([Buffer.from('<meta charset="windows-1252">'), all]);
    const { text } = decodeHtml(page, 'x.html');
    expect(Buffer.from(encodeHtml(text, 'windows-1252', 'x.html')).equals(page)).toBe(true);
    const utf8 = Buffer.from('\uFEFF<p>Kopi \u201cenak\u201d\r\n</p>');
    expect(Buffer.from(encodeHtml(decodeHtml(utf8, 'x.html').text, 'utf-8', 'x.html')).equals(utf8)).toBe(true);
  });

  it('writes a character the charset lacks as a numeric reference', async () => {
    const { encodeHtml } = await import('../../../src/parse/html/charset.js');
    expect(Buffer.from(encodeHtml('caf\u00e9 \u2192 \u{1F600}', 'windows-1252', 'x.html')).toString('latin1')).toBe('caf\u00e9 &#8594; &#128512;');
  });
});
