import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  articleText,
  buildCorpus,
  countWords,
  extractSentences,
  isCodeLike,
  readSampleTexts,
  translationUnits,
  variantOf,
  writeCorpus,
} from '../../bench/corpus.js';
import { corpusParagraphs, countGenerated } from '../../bench/baseline.js';
import { splitSentences } from '../../src/segment/sentences.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples');
const POOL = extractSentences(readSampleTexts(SAMPLES));

describe('extractSentences', () => {
  it('keeps prose sentences and drops code, headings, table rows and English', () => {
    const text = [
      '# Judul bagian',
      'Debian adalah sistem operasi bebas. Paket dipasang dengan APT.',
      '```',
      'Ini kode yang tidak boleh ikut.',
      '```',
      'deb http://packages.falcot.com/ updates/',
      '$ sudo apt install mini-dinstall',
      '| 631/udp | Pencetakan | Memungkinkan Anda mencetak. |',
      'It is thus a limit on the number of user files.',
      'KULTUR Distribusi komersial',
    ].join('\n');
    expect(extractSentences([text])).toEqual(['Debian adalah sistem operasi bebas.', 'Paket dipasang dengan APT.']);
  });

  it('finds enough distinct sentences in samples/ to build articles from', () => {
    expect(POOL.length).toBeGreaterThan(50);
    expect(new Set(POOL).size).toBe(POOL.length);
    for (const s of POOL) expect(isCodeLike(s)).toBe(false);
  });
});

describe('buildCorpus', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    const a = buildCorpus(POOL, { paragraphs: 40, seed: 3 });
    expect(buildCorpus(POOL, { paragraphs: 40, seed: 3 })).toEqual(a);
    expect(buildCorpus(POOL, { paragraphs: 40, seed: 4 })).not.toEqual(a);
  });

  it('has exactly N body paragraphs in articles of at most 10, of 1-5 sentences', () => {
    const articles = buildCorpus(POOL, { paragraphs: 123, seed: 1 });
    expect(articles.reduce((n, a) => n + a.paragraphs.length, 0)).toBe(123);
    articles.slice(0, -1).forEach((a) => expect(a.paragraphs.length).toBeGreaterThanOrEqual(6));
    for (const a of articles) {
      expect(a.paragraphs.length).toBeLessThanOrEqual(10);
      expect(a.title).not.toMatch(/\n/);
      for (const p of a.paragraphs) {
        const n = splitSentences(p).spans.length;
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(5);
      }
    }
  });

  it('never repeats a sentence or title, even when the corpus outgrows the sample pool', () => {
    const articles = buildCorpus(POOL, { paragraphs: 600, seed: 2 });
    const sentences = articles.flatMap((a) => a.paragraphs.flatMap((p) => splitSentences(p).spans.map((s) => s.text)));
    expect(sentences.length).toBeGreaterThan(POOL.length * 3);
    expect(new Set(sentences).size).toBe(sentences.length);
    const titles = articles.map((a) => a.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('gives distinct variants of a sentence for different reuse counts', () => {
    const s = 'Ini akan membantu menjaga akun pengguna Anda aman.';
    const variants = Array.from({ length: 2000 }, (_, i) => variantOf(s, i + 1));
    expect(new Set(variants).size).toBe(2000);
    expect(variants[0]).toBe('Selain itu, ini akan membantu menjaga akun pengguna Anda aman.');
  });

  it('rejects an empty pool and a non-positive size', () => {
    expect(() => buildCorpus([], { paragraphs: 5, seed: 1 })).toThrow(/no usable sentences/);
    expect(() => buildCorpus(POOL, { paragraphs: 0, seed: 1 })).toThrow(RangeError);
  });
});

describe('writeCorpus and the baseline reader', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dwb-bench-corpus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one file per article that reads back as title + paragraphs', () => {
    const target = path.join(dir, 'c');
    const written = writeCorpus(SAMPLES, target, { paragraphs: 20, seed: 5 });
    const files = readdirSync(target).sort();
    expect(files).toHaveLength(written.files);
    expect(readFileSync(path.join(target, files[0]!), 'utf8')).toBe(articleText(written.articles[0]!));
    const units = translationUnits(written.articles);
    expect(corpusParagraphs(target)).toEqual(units);
    expect(written.words).toBe(units.reduce((n, u) => n + countWords(u), 0));
  });
});

describe('countGenerated', () => {
  it('counts output ids without the start token, padding and end token', () => {
    // Start token = pad (9), eos = 0: [start, 5, 6, 7, eos, pad] -> 3 generated.
    expect(countGenerated([9n, 5n, 6n, 7n, 0n, 9n], new Set([9, 0]))).toBe(3);
    expect(countGenerated([9, 0], new Set([9, 0]))).toBe(0);
  });
});
