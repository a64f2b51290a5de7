/**
 * Web pages end to end (fake engine: English = the words in reverse order): the bilingual files,
 * x.en.html with every tag of the input in order and the bytes outside the article untouched,
 * inline tags around the right words, the page charset kept, and the clear failures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/report.js';
import { INLINE, NO_ARTICLE, page, windows1252Page } from '../parse/html/fixtures.js';
import { reverseWords } from '../helpers/fake-engine.js';
import { tagSequence, translatePages, upperCase } from './html-pages.js';

describe('HTML pages through the pipeline', () => {
  it('writes the five bilingual files and x.en.html, with every tag of the input in order', async () => {
    const { out, summary, engine } = await translatePages({ 'berita.html': INLINE }, { translate: upperCase });
    expect(summary.files.map((f) => [f.status, f.failures])).toEqual([['done', []]]);
    for (const ext of ['.id-en.md', '.id-en.html', '.id-en.json', '.en.txt', '.id-en.tmx', '.en.html']) {
      expect(existsSync(join(out, `berita${ext}`)), ext).toBe(true);
    }
    const en = readFileSync(join(out, 'berita.en.html'), 'utf8');
    expect(tagSequence(en)).toEqual(tagSequence(INLINE));
    // Nothing but article text reached the model: no navigation, footer, script, code, attribute.
    const sent = engine.batches.flat().join('\n');
    for (const never of ['Beranda', 'Hak cipta', 'analytics', 'jangan diterjemahkan', 'kode', 'Iklan', 'href', 'Laporan lengkap', 'font-family', 'make install']) {
      expect(sent).not.toContain(never);
    }
    // Paired inline tags travel as bare placeholders, so the sentence is translated whole…
    expect(sent).toContain('Presiden <b>Joko Widodo</b> mengatakan bahwa proyek itu <em>sangat penting</em> bagi warga.');
    expect(sent).toContain('Menurut <strong>laporan <a>Bank Dunia</a> terbaru</strong>, biaya naik & waktu tunggu bertambah dua bulan.');
    // …and the original tags, attributes included, come back around the same words.
    expect(en).toContain('PRESIDEN <b>JOKO WIDODO</b> MENGATAKAN BAHWA PROYEK ITU <em>SANGAT PENTING</em> BAGI WARGA.<sup>1</sup>');
    expect(en).toContain('<strong>LAPORAN <a href="https://contoh.id/laporan?id=7" title="Laporan lengkap">BANK DUNIA</a> TERBARU</strong>');
    expect(en).toContain('BARIS PERTAMA ALAMAT KANTOR.<br>BARIS KEDUA ALAMAT KANTOR DI BANDUNG.');
    // A <br> inside a sentence goes through the model with it.
    expect(sent).toContain('Kantor cabang di Jalan Merdeka 5<br>Bandung utara');
    expect(en).toContain('KANTOR CABANG DI JALAN MERDEKA 5<br>BANDUNG UTARA');
    expect(en).toContain('<script>var x = "jangan diterjemahkan";</script>');
    expect(en).toContain('<code>make install</code>');
    // Entities: the model read "&" (and the no-break space as a space); the English has "&" escaped again.
    expect(en).toContain('BIAYA NAIK &amp; WAKTU');
    expect(en).toContain('<html lang="en">');
    const json = JSON.parse(readFileSync(join(out, 'berita.id-en.json'), 'utf8')) as { blocks: Array<{ segments: Array<{ flags?: string[] }> }> };
    expect(json.blocks.flatMap((b) => b.segments.flatMap((s) => s.flags ?? []))).not.toContain('markup-moved');
  });

  it('a model that misorders or drops the tags: the words stay, every tag is back in order, the sentence is flagged', async () => {
    for (const translate of [reverseWords, (t: string) => t.replace(/<[^>]*>/g, ' ')]) {
      const { out } = await translatePages({ 'berita.html': INLINE }, { translate });
      const en = readFileSync(join(out, 'berita.en.html'), 'utf8');
      expect(tagSequence(en)).toEqual(tagSequence(INLINE));
      const json = JSON.parse(readFileSync(join(out, 'berita.id-en.json'), 'utf8')) as { blocks: Array<{ segments: Array<{ source: string; target: string; flags?: string[] }> }> };
      const seg = json.blocks.flatMap((b) => b.segments).find((s) => s.source.startsWith('Presiden'))!;
      expect(seg.flags).toContain('markup-moved');
      for (const w of ['Presiden', 'Joko', 'Widodo', 'mengatakan', 'warga.']) expect(seg.target).toContain(w);
      expect(seg.target).toMatch(/<b>\S[^<]*<\/b>/);
    }
  });

  it('leaves every byte outside the translated text as it was', async () => {
    const { out } = await translatePages({ 'berita.html': INLINE });
    const en = readFileSync(join(out, 'berita.en.html'), 'utf8');
    const head = INLINE.slice(0, INLINE.indexOf('<title>') + '<title>'.length).replace('<html>', '<html lang="en">');
    expect(en.startsWith(head)).toBe(true);
    const tail = INLINE.slice(INLINE.indexOf('</article>'));
    expect(en.endsWith(tail)).toBe(true);
    const nav = /<nav[\s\S]*?<\/nav>/.exec(INLINE)![0];
    expect(en).toContain(nav);
    expect(en).toContain('<pre>kode --jangan diterjemahkan</pre>');
    expect(en).toContain('<div class="ads-banner">Iklan: beli sekarang juga diskon besar</div>');
  });

  it('replaces an existing lang attribute', async () => {
    const { out } = await translatePages({ 'a.html': page('<p>Satu kalimat artikel yang cukup panjang untuk dibaca.</p>', { lang: 'id' }) });
    expect(readFileSync(join(out, 'a.en.html'), 'utf8')).toContain('<html lang="en">');
  });

  it('the bilingual files show the text without tags, with the page title, byline and related links marked', async () => {
    const { out } = await translatePages({ 'berita.html': INLINE });
    const txt = readFileSync(join(out, 'berita.en.txt'), 'utf8');
    expect(txt.startsWith('Kita Berita - Barat Jawa di Baru Jalan\n\nBarat Jawa di Baru Jalan\n\nSantoso Budi Oleh:\n\n')).toBe(true);
    expect(txt).not.toMatch(/<[a-z]/);
    expect(txt).toContain('kantor. alamat pertama Baris\nBandung.');
    const md = readFileSync(join(out, 'berita.id-en.md'), 'utf8');
    expect(md).toContain('# Jalan Baru di Jawa Barat - Berita Kita');
    expect(md).toContain('| Presiden Joko Widodo mengatakan');
    expect(md).toContain('↪ • Harga beras naik lagi');
    expect(txt).toContain('\n\n- lagi naik beras Harga\n\n');
    const json = JSON.parse(readFileSync(join(out, 'berita.id-en.json'), 'utf8')) as { blocks: Array<{ marker?: string; source: string; trailer?: string; related?: boolean }> };
    expect(json.blocks.map((b) => (b.marker ?? '') + b.source + (b.trailer ?? '')).join('')).toBe(INLINE);
    expect(json.blocks.filter((b) => b.related).length).toBe(3);
    const bilingual = readFileSync(join(out, 'berita.id-en.html'), 'utf8');
    expect(bilingual).toContain('class="row k-list-item related"');
  });

  it('a windows-1252 page is read by its declaration and written back in windows-1252', async () => {
    const bytes = windows1252Page();
    const { out, summary } = await translatePages({ 'lama.html': bytes });
    expect(summary.files[0]!.status).toBe('done');
    const en = readFileSync(join(out, 'lama.en.html'));
    const tail = bytes.subarray(bytes.indexOf('</article>'));
    expect(en.subarray(en.length - tail.length).equals(tail)).toBe(true);
    // “Senja” – reversed, still in windows-1252 bytes (0x93 0x94 0x96), not UTF-8.
    expect(en.includes(Buffer.from([0x96, 0x20, 0x93, 0x53, 0x65, 0x6e, 0x6a, 0x61, 0x94, 0x20, 0x63, 0x61, 0x66, 0xe9]))).toBe(true);
    expect(en.includes(Buffer.from('\u201c', 'utf8'))).toBe(false);
  });

  it('a page with no article fails with a clear message, the others are still written', async () => {
    const { summary, out } = await translatePages({ 'kosong.html': NO_ARTICLE, 'ok.html': INLINE });
    const bad = summary.files.find((f) => f.input.endsWith('kosong.html'))!;
    expect(bad.status).toBe('failed');
    expect(bad.failures[0]).toMatch(/kosong\.html: no article found .*input\.html\.extract: all/);
    expect(existsSync(join(out, 'ok.en.html'))).toBe(true);
  });

  it('a file named with an extension the tool cannot read is an error listing the supported formats', async () => {
    const { summary } = await translatePages({ 'laporan.docx': 'PK\u0003\u0004' }, { inputs: (d) => [join(d, 'laporan.docx')] });
    expect(summary.files[0]!.status).toBe('failed');
    expect(summary.files[0]!.failures[0]).toMatch(/laporan\.docx: cannot read \.docx files; the supported formats are plain text \(\.txt, \.text, no extension\), Markdown \(\.md, \.markdown\), HTML \(\.html, \.htm\)/);
  });

  it('a folder run says how many files it skipped and why', async () => {
    const files: Record<string, string> = { 'a.html': INLINE };
    for (let i = 0; i < 9; i++) files[`d${i}.docx`] = 'x';
    for (let i = 0; i < 3; i++) files[`p${i}.pdf`] = 'x';
    const { summary, out } = await translatePages(files);
    expect(summary.skipped).toEqual({ 'not-included': { '*.docx': 9, '*.pdf': 3 }, excluded: {} });
    expect(formatSummary(summary, out)).toContain('12 files skipped: not matched by input.include (*.docx 9, *.pdf 3)');
  });

  it('extract: all translates the text blocks outside the article too', async () => {
    const html = page('<p>Satu kalimat artikel yang cukup panjang untuk dibaca.</p>', { after: '<aside><p>Harga cabai turun di pasar.</p></aside>' });
    const { out } = await translatePages({ 'a.html': html }, { extract: 'all' });
    expect(readFileSync(join(out, 'a.en.html'), 'utf8')).toContain('<aside><p>pasar. di turun cabai Harga</p></aside>');
  });
});
