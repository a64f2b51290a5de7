/**
 * Spans that must reach the English exactly as written: URLs, e-mail addresses, @handles,
 * #hashtags, `code spans`. The segmenter freezes the same kinds (src/segment/protect.ts); the
 * guards find them again on the bare sentence because a recovery attempt (clause by clause)
 * may send them through the model.
 */

const URL_RE = /\b(?:(?:https?|ftp|file):\/\/|www\.)[^\s<>"“”‘’`]+/giu;
const EMAIL_RE = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const HANDLE_RE = /(?<![\p{L}\p{N}_.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?/gu;
const HASHTAG_RE = /(?<![\p{L}\p{N}_&#/])#(?=[\p{N}_]*\p{L})[\p{L}\p{N}_]+/gu;
/** A run of n backticks up to the next run of exactly n (CommonMark inline code). */
const CODE_RE = /(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/gu;

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Verbatim spans of `text`, sorted, overlaps dropped (the earlier, longer one wins). */
export function verbatimSpans(text: string): Span[] {
  // Most sentences have none of these; skip the five scans for them.
  if (!/[@#`]|:\/\/|www\./iu.test(text)) return [];
  const spans: Span[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const t = trimUrl(m[0]);
    spans.push({ start: m.index, end: m.index + t.length, text: t });
  }
  for (const re of [EMAIL_RE, HANDLE_RE, HASHTAG_RE, CODE_RE]) {
    for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start < last.end) continue;
    out.push(s);
  }
  return out;
}

/** Drops sentence punctuation after a URL; keeps balanced closing brackets. */
function trimUrl(url: string): string {
  let end = url.length;
  const count = (ch: string): number => [...url.slice(0, end)].filter((c) => c === ch).length;
  for (;;) {
    const ch = url[end - 1];
    if (ch === undefined) break;
    if ('.,;:!?\'"’”»…*_'.includes(ch)) end--;
    else if (ch === ')' && count('(') < count(')')) end--;
    else if (ch === ']' && count('[') < count(']')) end--;
    else break;
  }
  return url.slice(0, end);
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
