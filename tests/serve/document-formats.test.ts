/**
 * Reading JSON outputs back for the newer inputs: saved web pages (x.en.html included, in the
 * page's own charset) and Markdown with link reference definitions, tables and English that
 * needed block markup escaped. A save renders every output again from the JSON, so these must
 * come back byte for byte or a save would change more than the sentence edited.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/serve/catalog.js';
import { withOriginalPage } from '../../src/serve/html-origin.js';
import { expectedOutputs, writeOutputs } from '../../src/write/formats.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { fakeEnglish, makeOutputFrom } from './helpers.js';

const SAMPLES = join(__dirname, '../../samples/html');
const MARKDOWN = [
  '# Panduan rujukan',
  '',
  'Lihat [dokumen resmi][docs] dan [situs kami][] untuk rincian. Kalimat kedua di sini.',
  '',
  '| Nama alat | Kegunaan alat |',
  '| --- | --- |',
  '| Palu besar | Memukul paku |',
  '',
  'Pilih satu opsi. Lalu tekan tombol.',
  '',
  '[docs]: https://example.com/docs "Dokumen resmi"',
  '[situs kami]: <https://example.com/situs>',
  '',
].join('\n');

/** English that starts with block markup (a heading, a quote, a list number, a table pipe) where the source had none. */
function markupEnglish(text: string): string {
  if (text.startsWith('Kalimat kedua')) return '# second sentence here';
  if (text.startsWith('Palu')) return '| big | hammer';
  if (text.startsWith('Pilih')) return '1. choose one option.';
  if (text.startsWith('Lalu')) return '> then press';
  return fakeEnglish(text);
}

const PAGES = ['as-rusia-bertemu-10-januari.html', 'as-rusia-bertemu-10-januari.windows-1252.html', 'ch03.id.html'];
let out: string;
let input: string;

beforeAll(async () => {
  const files: Record<string, string | Buffer> = { 'rujukan.md': MARKDOWN };
  for (const p of PAGES) files[`laman/${p}`] = readFileSync(join(SAMPLES, p));
  ({ out, input } = await makeOutputFrom(files, new FakeEngine({ translate: markupEnglish }), { guards: false }));
}, 60_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(input, { recursive: true, force: true });
});

describe('readJsonDocument for web pages and structured Markdown', () => {
  it('detects each file\'s input format, from the manifest and from a scan alike', async () => {
    const catalog = new Catalog(out);
    await catalog.refresh();
    const formats = Object.fromEntries(catalog.list().map((f) => [f.name, f.format]));
    expect(formats).toEqual({
      'laman/as-rusia-bertemu-10-januari': 'html',
      'laman/as-rusia-bertemu-10-januari.windows-1252': 'html',
      'laman/ch03.id': 'html',
      rujukan: 'markdown',
    });
    // Without the manifest, the JSON's source path says it.
    const bare = mkdtempSync(join(tmpdir(), 'dwb-scan-'));
    try {
      const { cpSync } = await import('node:fs');
      for (const n of readdirSync(out)) if (n !== '.dwibahasa') cpSync(join(out, n), join(bare, n), { recursive: true });
      const scanned = new Catalog(bare);
      await scanned.refresh();
      expect(Object.fromEntries(scanned.list().map((f) => [f.name, f.format]))).toEqual(formats);
      expect(scanned.get('laman/ch03.id')?.formats).toEqual(['md', 'html', 'json', 'txt', 'tmx']);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('renders every output again byte for byte: the five files, and x.en.html in the page\'s charset', async () => {
    const catalog = new Catalog(out);
    await catalog.refresh();
    const again = mkdtempSync(join(tmpdir(), 'dwb-again-'));
    try {
      for (const f of catalog.list()) {
        const review = await catalog.load(f);
        // Every sentence can be edited: each block splits back into its sentences.
        review.doc.blocks.forEach((b, i) => expect(b.translate && b.segments.length > 0 ? review.leading[i] : '', `${f.name} block ${i}`).toBeDefined());
        const doc = await withOriginalPage(f, review.doc);
        const base = join(again, f.name.replace(/\//g, '_'));
        const written = await writeOutputs(doc, base, f.formats);
        const originals = expectedOutputs(f.base, f.format, f.formats);
        expect(written.length, f.name).toBe(f.format === 'html' ? 6 : 5);
        written.forEach((w, i) => expect(readFileSync(w).equals(readFileSync(originals[i]!)), `${f.name}: ${originals[i]}`).toBe(true));
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('keeps the Markdown\'s definitions and the escapes of its English', async () => {
    const catalog = new Catalog(out);
    await catalog.refresh();
    const md = await catalog.load(catalog.get('rujukan')!);
    // Consecutive definitions are one block, copied as written.
    expect(md.doc.blocks.filter((b) => b.kind === 'definition').map((b) => [b.source.trim(), b.translate])).toEqual([
      ['[docs]: https://example.com/docs "Dokumen resmi"\n[situs kami]: <https://example.com/situs>', false],
    ]);
    const en = readFileSync(join(out, 'rujukan.en.md'), 'utf8');
    // The writer's escapes are in the JSON, so they survive the round trip above.
    expect(en).toContain('\\# second sentence here');
    expect(en).toContain('&#124; big &#124; hammer');
    expect(en).toContain('1\\. choose one option.');
    expect(en).toContain('[docs]: https://example.com/docs "Dokumen resmi"');
  });
});
