import { describe, expect, it } from 'vitest';
import { splitLongSentence } from '../../src/segment/clauses.js';
import { findFrozenRanges } from '../../src/segment/protect.js';
import { charCounter, joinSpans, randomText, wordCounter } from './helpers.js';
import { seededRandom } from '../../testmodel/seeded-random.js';

function texts(spans: ReadonlyArray<{ text: string }>): string[] {
  return spans.map((s) => s.text);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('splitLongSentence: where it cuts', () => {
  it('returns a sentence that fits as one piece, trailing whitespace apart', () => {
    expect(splitLongSentence('Halo dunia.  ', 10, wordCounter)).toEqual([{ text: 'Halo dunia.', trailing: '  ' }]);
  });

  it('cuts at a semicolon, keeping it with the first clause', () => {
    // 9 words = 12 tokens; max 8.
    const text = 'Rusia akan membela kepentingannya; Amerika Serikat menolak usulan itu.';
    expect(splitLongSentence(text, 8, wordCounter)).toEqual([
      { text: 'Rusia akan membela kepentingannya;', trailing: ' ' },
      { text: 'Amerika Serikat menolak usulan itu.', trailing: '' },
    ]);
  });

  it('prefers a colon to a comma nearer the middle when both halves still fit', () => {
    // 11 words = 15 tokens; max 13: the colon leaves 3 + 8 words (4 + 11 tokens).
    const text = 'Satu dua tiga: empat lima enam tujuh, delapan sembilan sepuluh sebelas.';
    expect(texts(splitLongSentence(text, 13, wordCounter))).toEqual([
      'Satu dua tiga:',
      'empat lima enam tujuh, delapan sembilan sepuluh sebelas.',
    ]);
  });

  it('takes the comma near the middle when the colon is too far out to leave a fitting half', () => {
    // Cutting at the colon would leave 10 of 11 words (13 tokens) over the limit of 8.
    const text = 'Ya: satu dua tiga empat lima, enam tujuh delapan sembilan.';
    expect(texts(splitLongSentence(text, 8, wordCounter))).toEqual(['Ya: satu dua tiga empat lima,', 'enam tujuh delapan sembilan.']);
  });

  it('cuts before a conjunction when there is no punctuation', () => {
    const text = 'Pemerintah menaikkan harga bahan bakar minyak karena subsidi terus membengkak setiap tahun.';
    expect(splitLongSentence(text, 10, wordCounter)).toEqual([
      { text: 'Pemerintah menaikkan harga bahan bakar minyak', trailing: ' ' },
      { text: 'karena subsidi terus membengkak setiap tahun.', trailing: '' },
    ]);
  });

  it('prefers a subordinating conjunction to a nearer "dan"', () => {
    // 14 words = 19 tokens; max 18.
    const text = 'Warga mengeluh tetapi pedagang pasar tetap menaikkan harga dan pembeli terpaksa membayar lebih mahal.';
    expect(texts(splitLongSentence(text, 18, wordCounter))).toEqual([
      'Warga mengeluh',
      'tetapi pedagang pasar tetap menaikkan harga dan pembeli terpaksa membayar lebih mahal.',
    ]);
  });

  it('cuts at the spaced dash', () => {
    const text = 'Distribusi yang didukung departemen pemasaran — dengan kata lain perusahaan besar.';
    expect(splitLongSentence(text, 8, wordCounter)).toEqual([
      { text: 'Distribusi yang didukung departemen pemasaran —', trailing: ' ' },
      { text: 'dengan kata lain perusahaan besar.', trailing: '' },
    ]);
  });

  it('does not take a comma inside a number for a boundary', () => {
    const text = 'Nilainya 3,5 persen naik dari 2,1 persen pada tahun lalu';
    for (const piece of splitLongSentence(text, 6, wordCounter)) expect(piece.text).not.toMatch(/,$/);
  });

  it('cuts at the whitespace nearest the middle when nothing better exists', () => {
    expect(splitLongSentence('satu dua tiga empat lima enam tujuh delapan', 6, wordCounter)).toEqual([
      { text: 'satu dua tiga empat', trailing: ' ' },
      { text: 'lima enam tujuh delapan', trailing: '' },
    ]);
  });

  it('keeps whitespace runs as the trailing of the piece before them', () => {
    const pieces = splitLongSentence('satu dua  \n tiga empat', 2, wordCounter);
    expect(pieces).toEqual([
      { text: 'satu', trailing: ' ' },
      { text: 'dua', trailing: '  \n ' },
      { text: 'tiga', trailing: ' ' },
      { text: 'empat', trailing: '' },
    ]);
  });

  it('recurses until every piece fits', () => {
    const words = Array.from({ length: 40 }, (_, i) => `kata${i}`);
    const text = words.join(' ');
    const pieces = splitLongSentence(text, 6, wordCounter);
    expect(joinSpans(pieces)).toBe(text);
    expect(pieces.length).toBeGreaterThanOrEqual(10);
    for (const p of pieces) expect(wordCounter(p.text)).toBeLessThanOrEqual(6);
  });

  it('never cuts inside an avoided range such as a URL', () => {
    const url = 'https://contoh.id/a,b;c,d/e;f?x=1,2';
    const text = `Baca dokumentasi di ${url} sebelum memasang paket, lalu jalankan perintahnya dengan hati-hati.`;
    const pieces = splitLongSentence(text, 4, wordCounter, { avoid: findFrozenRanges(text, { markdown: false }) });
    expect(joinSpans(pieces)).toBe(text);
    expect(pieces.some((p) => p.text.includes(url))).toBe(true);
  });
});

describe('splitLongSentence: words longer than the limit', () => {
  it('cuts a 5,000-character word into pieces by characters, losing nothing', () => {
    const word = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    const pieces = splitLongSentence(word, 100, charCounter);
    expect(pieces.map((p) => p.text).join('')).toBe(word);
    expect(pieces.length).toBeGreaterThanOrEqual(13);
    for (const p of pieces) {
      expect(p.text).not.toBe('');
      expect(p.trailing).toBe('');
      expect(charCounter(p.text)).toBeLessThanOrEqual(100);
    }
  });

  it('never splits a surrogate pair or detaches a combining mark', () => {
    const emoji = '😀'.repeat(3000);
    for (const p of splitLongSentence(emoji, 50, charCounter)) expect(p.text).not.toMatch(LONE_SURROGATE);
    const accented = 'e\u0301'.repeat(2000);
    for (const p of splitLongSentence(accented, 50, charCounter)) expect(p.text).not.toMatch(/^\u0301/);
  });

  it('keeps a long word before the limit with its neighbours when whitespace allows', () => {
    const pieces = splitLongSentence(`awal ${'x'.repeat(40)} akhir`, 10, charCounter);
    expect(texts(pieces)).toContain('awal');
    expect(texts(pieces)).toContain('akhir');
    expect(joinSpans(pieces)).toBe(`awal ${'x'.repeat(40)} akhir`);
  });
});

describe('splitLongSentence: edge cases and properties', () => {
  it('handles empty and whitespace-only input', () => {
    expect(splitLongSentence('', 5, wordCounter)).toEqual([]);
    expect(splitLongSentence(' \n ', 5, wordCounter)).toEqual([{ text: '', trailing: ' \n ' }]);
  });

  it('rejects a limit below one token', () => {
    expect(() => splitLongSentence('a b', 0, wordCounter)).toThrow(RangeError);
    expect(() => splitLongSentence('a b', Number.NaN, wordCounter)).toThrow(RangeError);
  });

  it('keeps the join invariant and the limit on 1,000 random strings', () => {
    const next = seededRandom(77);
    for (let i = 0; i < 1000; i++) {
      const text = randomText(next, 80);
      const max = 1 + Math.floor(next() * 12);
      const pieces = splitLongSentence(text, max, charCounter);
      const label = JSON.stringify({ text, max });
      expect(joinSpans(pieces), label).toBe(text);
      for (const p of pieces) {
        expect(charCounter(p.text), label).toBeLessThanOrEqual(max);
        expect(p.trailing.trim(), label).toBe('');
      }
    }
  });

  it('splits a 2 MB paragraph with O(length) counting and keeps the join invariant', () => {
    const next = seededRandom(2);
    const vocab = ['pemerintah', 'dan', 'yang', 'harga', 'naik,', 'karena', 'warga;', 'Jakarta', 'tetapi', 'data', '3,5', 'persen'];
    const words: string[] = [];
    let length = 0;
    while (length < 2_000_000) {
      const w = vocab[Math.floor(next() * vocab.length)]!;
      words.push(w);
      length += w.length + 1;
    }
    const text = words.join(' ');
    let counted = 0;
    const counter = (s: string): number => {
      counted += s.length;
      return wordCounter(s);
    };
    const pieces = splitLongSentence(text, 200, counter);
    expect(joinSpans(pieces)).toBe(text);
    for (const p of pieces) expect(wordCounter(p.text)).toBeLessThanOrEqual(200);
    // Re-counting every level of the recursion would pass ~17 times the text through the counter.
    expect(counted).toBeLessThan(text.length * 4);
  });
});
