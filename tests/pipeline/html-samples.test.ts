/**
 * The saved real pages of samples/html (a news page in UTF-8 and in windows-1252, two DocBook
 * chapters of the Debian Reference): every tag of the input is in x.en.html in the same order,
 * the page furniture is byte-identical, and only article text reached the model.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tagSequence, translatePages } from './html-pages.js';

const SAMPLES = join(__dirname, '../../samples/html');
const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.html'));

describe('saved real pages', () => {
  it('has the four sample pages', () => {
    expect(files.sort()).toEqual(['as-rusia-bertemu-10-januari.html', 'as-rusia-bertemu-10-januari.windows-1252.html', 'ch03.id.html', 'ch05.id.html']);
  });

  it('every page: done, all tags in order, bytes outside the translated text kept', async () => {
    const pages = Object.fromEntries(files.map((f) => [f, readFileSync(join(SAMPLES, f))]));
    const { out, summary, engine } = await translatePages(pages);
    expect(summary.files.map((f) => [f.input.split('/').pop(), f.status, f.failures]).sort()).toEqual(files.map((f) => [f, 'done', []]).sort());
    for (const f of files) {
      const input = pages[f]!;
      const en = readFileSync(join(out, f.replace(/\.html$/, '.en.html')));
      // latin1 keeps one character per byte, so tags compare byte for byte in either charset.
      expect(tagSequence(en.toString('latin1')), f).toEqual(tagSequence(input.toString('latin1')));
      // The head up to <title> is the input's, but for the root element's lang.
      const [a, b] = [input.toString('latin1'), en.toString('latin1')];
      const root = /<html[^>]*>/;
      expect(b.slice(0, b.search(root)), f).toBe(a.slice(0, a.search(root)));
      expect(root.exec(b)![0], f).toBe(root.exec(a)![0].replace(/ lang="[^"]*"/, '').replace('<html', '<html lang="en"'));
      const afterRoot = (t: string): string => t.slice(t.search(root) + root.exec(t)![0].length, t.indexOf('<title>'));
      expect(afterRoot(b), f).toBe(afterRoot(a));
    }
    const news = readFileSync(join(SAMPLES, 'as-rusia-bertemu-10-januari.html'), 'utf8');
    const en = readFileSync(join(out, 'as-rusia-bertemu-10-januari.en.html'), 'utf8');
    // Everything after the article (the "Terpopuler" aside, the footer, scripts) is untouched, and so
    // is the site header with its navigation and search form.
    expect(en.endsWith(news.slice(news.indexOf('<div class="tags">')))).toBe(true);
    expect(en).toContain(news.slice(news.indexOf('<body>'), news.indexOf('<main>')));
    expect(en).toContain('<html lang="en">');
    const sent = engine.batches.flat().join('\n');
    for (const never of ['Terpopuler', 'Hak cipta', 'Cari berita', 'Bagikan', 'dataLayer', 'Iklan', 'Beranda', 'Olahraga']) expect(sent).not.toContain(never);
    for (const must of ['JAKARTA', 'Sergei Lavrov', 'Tim Redaksi', 'Foto: Arsip', 'Baca juga:', 'Sekjen NATO Bakal Gelar']) expect(sent).toContain(must);
    // The DocBook chapters: code listings and commands are never text.
    const chapter = readFileSync(join(SAMPLES, 'ch03.id.html'), 'utf8');
    const pre = /<pre class="screen">[\s\S]*?<\/pre>/.exec(chapter)![0];
    expect(readFileSync(join(out, 'ch03.id.en.html'), 'utf8')).toContain(pre);
  }, 120_000);
});
