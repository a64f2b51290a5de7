/**
 * Spans that must reach the English exactly as written: URLs, e-mail addresses, @handles,
 * #hashtags, `code spans`, by the rules the segmenter freezes them with (segment/span-rules.ts).
 * The guards find them again on the bare sentence because a recovery attempt (clause by clause)
 * may send them through the model.
 */
import { findVerbatimRanges } from '../segment/span-rules.js';

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Verbatim spans of `text`, sorted; overlapping or touching spans are one, as the segmenter freezes them. */
export function verbatimSpans(text: string): Span[] {
  return findVerbatimRanges(text, { code: true }).map(([start, end]) => ({ start, end, text: text.slice(start, end) }));
}

/** `text` with the given [start, end) ranges cut out, each replaced by one space. */
export function without(text: string, ranges: ReadonlyArray<{ readonly start: number; readonly end: number }>): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const r of sorted) {
    if (r.start < pos) continue;
    out += text.slice(pos, r.start) + ' ';
    pos = r.end;
  }
  return out + text.slice(pos);
}

/** English function words: n-grams made only of these repeat in ordinary prose ("of the"). */
export const EN_STOPWORDS: ReadonlySet<string> = new Set(
  ('a an the of to in on at by for from with and or but as is are was were be been has have had it its this that these ' +
    'those he she they we you i his her their our your not no will would can could said says which who whom also than then there')
    .split(' '),
);

/** Indonesian function words: their presence marks a source as Indonesian, not an English quote. */
export const ID_FUNCTION_WORDS: ReadonlySet<string> = new Set(
  ('yang dan di ke dari ini itu dengan untuk tidak akan pada juga ada adalah dalam oleh sebagai karena bahwa atau saya ' +
    'kami kita mereka ia dia telah sudah bisa harus belum masih para sang tersebut agar serta namun tetapi jika kalau')
    .split(' '),
);

/** Lower-cased word tokens ("I'm" stays one token). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []);
}
