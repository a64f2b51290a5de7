/**
 * One set of span rules: what the segmenter freezes and what the lost-span guard checks for are
 * the same spans, including the awkward ones (trailing punctuation, brackets, overlaps).
 */
import { describe, expect, it } from 'vitest';
import { verbatimSpans } from '../../src/guards/spans.js';
import { findFrozenRanges } from '../../src/segment/protect.js';
import { trimUrl } from '../../src/segment/span-rules.js';

/** A sentence and the verbatim spans a reader would mark in it; `code` spans are frozen in Markdown only. */
const TRICKY: ReadonlyArray<{ text: string; spans: string[]; code?: string[] }> = [
  { text: 'Lihat https://example.com/a_(b)). Lalu pulang.', spans: ['https://example.com/a_(b)'] },
  { text: 'Tautan (https://id.wikipedia.org/wiki/Jakarta_(kota)) penting.', spans: ['https://id.wikipedia.org/wiki/Jakarta_(kota)'] },
  { text: 'Buka www.detik.com/berita?id=1&x=2! Sekarang.', spans: ['www.detik.com/berita?id=1&x=2'] },
  { text: 'Lihat "https://a.id/x". Itu saja.', spans: ['https://a.id/x'] },
  { text: 'Kirim ke redaksi@kompas.co.id, atau ke @kompas_id.', spans: ['redaksi@kompas.co.id', '@kompas_id'] },
  { text: 'Email saya nama.belakang+tag@sub.example.org.', spans: ['nama.belakang+tag@sub.example.org'] },
  { text: 'Ikuti @jokowi dan @ganjar.pranowo… setiap hari.', spans: ['@jokowi', '@ganjar.pranowo'] },
  { text: 'Tagar #PemiluDamai2024 ramai, #2024 dan C# tidak.', spans: ['#PemiluDamai2024'] },
  // An address inside a URL is part of the URL, not a second span.
  { text: 'Alamat http://x.id/a@b.com aneh sekali.', spans: ['http://x.id/a@b.com'] },
  // A handle and an address that overlap are one span, as the segmenter freezes them.
  { text: 'Hubungi @user@example.com hari ini.', spans: ['@user@example.com'] },
  { text: 'Jalankan `npm install` lalu ``a`b`` selesai.', spans: [], code: ['`npm install`', '``a`b``'] },
  { text: 'Tidak ada apa-apa di sini, hanya kata biasa.', spans: [] },
];

const texts = (text: string, ranges: ReadonlyArray<readonly [number, number]>): string[] => ranges.map(([a, b]) => text.slice(a, b));

describe('span rules shared by the segmenter and the lost-span guard', () => {
  it.each(TRICKY)('$text', ({ text, spans, code = [] }) => {
    const inOrder = (list: string[]): string[] => [...list].sort((a, b) => text.indexOf(a) - text.indexOf(b));
    expect(verbatimSpans(text).map((s) => s.text)).toEqual(inOrder([...spans, ...code]));
    expect(texts(text, findFrozenRanges(text, { markdown: false }))).toEqual(inOrder(spans));
    expect(texts(text, findFrozenRanges(text, { markdown: true }))).toEqual(inOrder([...spans, ...code]));
  });

  it('trimUrl keeps balanced brackets and drops sentence punctuation', () => {
    expect(trimUrl('https://a.id/x_(y)).')).toBe('https://a.id/x_(y)');
    expect(trimUrl('https://a.id/[1]],')).toBe('https://a.id/[1]');
    expect(trimUrl('https://a.id/x…”')).toBe('https://a.id/x');
  });
});
