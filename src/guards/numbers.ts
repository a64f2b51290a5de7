/**
 * Numbers in Indonesian sources and English targets, compared by value.
 *
 * Indonesian writes 1.200 (thousands with dots) and 3,5 (decimal comma); English writes 1,200 and
 * 3.5. The model sometimes copies the Indonesian form, sometimes drops or changes a number; the
 * guards need to tell "the same value written another way" from "a different value".
 *
 * Rule for reading an Indonesian number (documented for users in the report):
 * - dots followed by groups of exactly 3 digits are thousands separators: 1.200 = 1200,
 *   1.200.000 = 1200000 (even though "1.200" could be an English decimal in a quote: Indonesian
 *   convention wins in an Indonesian source);
 * - a comma followed by 1–2 digits, by 4 or more, or by 3 where dots are also used is a decimal
 *   comma: 3,5 = 3.5; 1.200,50 = 1200.5;
 * - a comma followed by exactly 3 digits and no dots (8,374) is ambiguous (English thousands or
 *   Indonesian decimal) unless a currency prefix (Rp8,374) or a scale word (8,374 triliun) or a
 *   percent sign/word follows, which makes it decimal;
 * - HH.MM (two digits after one dot, valid clock time) is a time after "pukul"/"jam" or before
 *   WIB/WITA/WIT, otherwise ambiguous between a time and an English-style decimal.
 * Ambiguous numbers carry every reading and are never rewritten.
 */

import { verbatimSpans } from './spans.js';

export type NumberKind = 'number' | 'time';

export interface NumberReading {
  readonly kind: NumberKind;
  /** The value; for times, minutes after midnight. */
  readonly value: number;
}

export interface FoundNumber {
  /** The number as written, without currency prefix or scale word ("8,374" of "Rp8,374 triliun"). */
  readonly text: string;
  /** [start, end) of `text` in the searched string. */
  readonly start: number;
  readonly end: number;
  /** Possible readings, likeliest first; several where the notation is ambiguous. */
  readonly readings: readonly NumberReading[];
  /**
   * The English way to write `text` when its meaning is clear (equal to `text` when English
   * writes it the same); null when ambiguous. Only set for lang 'id'.
   */
  readonly english: string | null;
}

export type NumberLang = 'id' | 'en';

/**
 * A run of digits joined by single . , : separators. The lookbehind keeps a match from starting
 * inside a number; identifiers like G20 or H5N1 are filtered afterwards.
 */
const NUMBER_RE = /(?<![\p{N}.,:])\p{Nd}+(?:[.,:]\p{Nd}+)*/gu;
/** Dates written with slashes or dashes: read as their year, the rest is often spelled out in English. */
const DATE_RE = /(?<![\p{N}/.-])(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?![\p{N}/])|(?<![\p{N}/.-])(\d{4})-(\d{2})-(\d{2})(?![\p{N}-])/gu;

const CURRENCY_BEFORE_RE = /(?:\bRp\.?|\bIDR|\bUSD|\bUS\$|\bS\$|\bRM|\$|€|£|¥)\s?$/u;
/** Letters a number may follow directly: currency prefixes only (G20, H5N1, COVID19 are identifiers). */
const LETTER_PREFIX_OK_RE = /(?:\bRp|\bIDR|\bUSD|\bRM)$/u;

const SCALES: Readonly<Record<string, number>> = {
  ribu: 1e3, rb: 1e3, juta: 1e6, jt: 1e6, miliar: 1e9, milyar: 1e9, triliun: 1e12,
  thousand: 1e3, thousands: 1e3, million: 1e6, millions: 1e6, mn: 1e6,
  billion: 1e9, billions: 1e9, bn: 1e9, trillion: 1e12, trillions: 1e12,
};
const SCALE_AFTER_RE = /^\s?([\p{L}]+)/u;
const PERCENT_AFTER_RE = /^\s?(?:%|persen\b|percent\b|per cent\b)/iu;
const TIME_BEFORE_RE = /\b(?:pukul|jam|pkl\.?)\s*$/iu;
const TIME_AFTER_RE = /^\s?(?:WIB|WITA|WIT)\b/u;
const AMPM_AFTER_RE = /^\s?([ap])\.?\s?m\b\.?/iu;

const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORDINALS = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth',
  'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'];
const TENS_ORDINAL = ['', '', 'twentieth', 'thirtieth', 'fortieth', 'fiftieth', 'sixtieth', 'seventieth', 'eightieth', 'ninetieth'];

/** English number words the model writes for small source numbers ("2 orang" → "two people"). */
const WORD_VALUES: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  UNITS.forEach((w, i) => m.set(w, i));
  ORDINALS.forEach((w, i) => { if (w) m.set(w, i); });
  TENS.forEach((w, i) => { if (w) m.set(w, i * 10); });
  TENS_ORDINAL.forEach((w, i) => { if (w) m.set(w, i * 10); });
  for (let t = 2; t < 10; t++) {
    for (let u = 1; u < 10; u++) {
      m.set(`${TENS[t]}-${UNITS[u]}`, t * 10 + u);
      m.set(`${TENS[t]}-${ORDINALS[u]}`, t * 10 + u);
    }
  }
  m.set('hundred', 100);
  m.set('dozen', 12);
  return m;
})();
const WORD_RE = /(?<![\p{L}\p{N}])[\p{L}]+(?:-[\p{L}]+)?(?![\p{L}\p{N}])/gu;

/** All numbers of `text` with their readings, in order. */
export function findNumbers(text: string, lang: NumberLang): FoundNumber[] {
  const found: FoundNumber[] = [];
  const taken: Array<[number, number]> = [];
  for (const m of text.matchAll(DATE_RE)) {
    const year = Number(m[3] ?? m[4]);
    found.push({ text: m[0], start: m.index, end: m.index + m[0].length, readings: [{ kind: 'number', value: year }], english: lang === 'id' ? m[0] : null });
    taken.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(NUMBER_RE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (taken.some(([s, e]) => start < e && end > s)) continue;
    const before = text.slice(Math.max(0, start - 12), start);
    if (/\p{L}$/u.test(before) && !LETTER_PREFIX_OK_RE.test(before)) continue;
    const after = text.slice(end, end + 16);
    found.push(...readToken(m[0], start, { before, after, lang }));
  }
  if (lang === 'en') found.push(...numberWords(text));
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The English writing of one Indonesian number (optionally with a currency prefix and a scale
 * word: "Rp8,374 triliun"); null where the reading is ambiguous or `idText` is not one number.
 */
export function englishNumber(idText: string): string | null {
  const numbers = findNumbers(idText, 'id');
  if (numbers.length !== 1) return null;
  const n = numbers[0]!;
  if (n.english === null) return null;
  // Only a currency prefix before and a scale or percent word after may surround the number.
  const before = idText.slice(0, n.start);
  const after = idText.slice(n.end);
  if (!/^(?:Rp\.?\s?|IDR\s?|USD\s?|US\$\s?|S\$|RM\s?|\$|€|£|¥)?$/u.test(before)) return null;
  if (!/^(?:\s?(?:%|\p{L}+))?$/u.test(after)) return null;
  return idText.slice(0, n.start) + n.english + idText.slice(n.end);
}

/**
 * Rewrites, the English way, every number the target copied unchanged from the source in its
 * Indonesian form ("1.200" → "1,200", "3,5" → "3.5"). Only exact copies of source numbers whose
 * reading is unambiguous are touched, so a value never changes.
 */
export function fixNumbers(source: string, target: string): string {
  const rewrite = new Map<string, string>();
  for (const n of findNumbers(source, 'id')) {
    if (n.english !== null && n.english !== n.text) rewrite.set(n.text, n.english);
  }
  if (rewrite.size === 0) return target;
  let out = target;
  // Digits inside a URL, handle or code span belong to it, not to the prose.
  const spans = verbatimSpans(target);
  const tokens = findNumbers(target, 'en').filter((t) => rewrite.has(t.text) && !spans.some((s) => t.start < s.end && t.end > s.start));
  for (const t of tokens.reverse()) out = out.slice(0, t.start) + rewrite.get(t.text)! + out.slice(t.end);
  return out;
}

/** A key per reading; two numbers are the same value when they share a key. */
export function readingKey(r: NumberReading): string {
  return `${r.kind === 'time' ? 't' : 'n'}:${Number(r.value.toPrecision(12))}`;
}

interface TokenContext {
  readonly before: string;
  readonly after: string;
  readonly lang: NumberLang;
}

function readToken(tok: string, start: number, ctx: TokenContext): FoundNumber[] {
  const parsed = ctx.lang === 'id' ? readIndonesian(tok, ctx) : readEnglish(tok, ctx);
  if (parsed === null) {
    // A list or version ("1,2,3", "3.5.1"): each run of digits is a number of its own.
    const parts: FoundNumber[] = [];
    for (const m of tok.matchAll(/\p{Nd}+/gu)) {
      const v = Number(m[0]);
      parts.push({ text: m[0], start: start + m.index, end: start + m.index + m[0].length, readings: [{ kind: 'number', value: v }], english: ctx.lang === 'id' ? m[0] : null });
    }
    return parts;
  }
  const readings = withScale(parsed.readings, ctx.after);
  return [{ text: tok, start, end: start + tok.length, readings, english: ctx.lang === 'id' ? parsed.english : null }];
}

interface Parsed {
  readonly readings: NumberReading[];
  readonly english: string | null;
}

const num = (value: number): NumberReading => ({ kind: 'number', value });

function readIndonesian(tok: string, ctx: TokenContext): Parsed | null {
  if (/^\d+$/u.test(tok)) return { readings: [num(Number(tok))], english: tok };
  let m = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?$/u.exec(tok);
  if (m) {
    const int = m[1]!.replace(/\./g, '');
    const value = Number(m[2] === undefined ? int : `${int}.${m[2]}`);
    const english = m[1]!.replace(/\./g, ',') + (m[2] === undefined ? '' : `.${m[2]}`);
    return { readings: [num(value)], english };
  }
  m = /^(\d+),(\d+)$/u.exec(tok);
  if (m) {
    const decimal = num(Number(`${m[1]}.${m[2]}`));
    if (m[2]!.length !== 3) return { readings: [decimal], english: `${m[1]}.${m[2]}` };
    if (CURRENCY_BEFORE_RE.test(ctx.before) || scaleAfter(ctx.after) !== null || PERCENT_AFTER_RE.test(ctx.after)) {
      return { readings: [decimal], english: `${m[1]}.${m[2]}` };
    }
    return { readings: [decimal, num(Number(m[1]! + m[2]!))], english: null };
  }
  // Already English-style thousands ("1,200,000"): the value is clear and English keeps it.
  if (/^\d{1,3}(?:,\d{3}){2,}$/u.test(tok)) return { readings: [num(Number(tok.replace(/,/g, '')))], english: tok };
  m = /^(\d{1,2})([.:])(\d{2})$/u.exec(tok);
  if (m && Number(m[1]) <= 24 && Number(m[3]) <= 59) {
    const time: NumberReading = { kind: 'time', value: Number(m[1]) * 60 + Number(m[3]) };
    if (m[2] === ':') return { readings: [time], english: tok };
    if (TIME_BEFORE_RE.test(ctx.before) || TIME_AFTER_RE.test(ctx.after)) return { readings: [time], english: null };
    return { readings: [time, num(Number(`${m[1]}.${m[3]}`))], english: null };
  }
  // An English-style decimal in an Indonesian text (3.5, 0.25): a value, but not ours to rewrite.
  if (/^\d+\.\d+$/u.test(tok)) return { readings: [num(Number(tok))], english: null };
  return null;
}

function readEnglish(tok: string, ctx: TokenContext): Parsed | null {
  if (/^\d+$/u.test(tok)) {
    const v = Number(tok);
    const ampm = AMPM_AFTER_RE.exec(ctx.after);
    if (ampm && v >= 1 && v <= 12) return { readings: [clock(v, 0, ampm[1]!), num(v)], english: null };
    return { readings: [num(v)], english: null };
  }
  if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/u.test(tok)) return { readings: [num(Number(tok.replace(/,/g, '')))], english: null };
  let m = /^(\d{1,2})([.:])(\d{2})$/u.exec(tok);
  if (m && Number(m[1]) <= 24 && Number(m[3]) <= 59) {
    const h = Number(m[1]);
    const min = Number(m[3]);
    const ampm = AMPM_AFTER_RE.exec(ctx.after);
    const time = ampm && h >= 1 && h <= 12 ? clock(h, min, ampm[1]!) : { kind: 'time' as const, value: h * 60 + min };
    return { readings: m[2] === ':' ? [time] : [time, num(Number(`${m[1]}.${m[3]}`))], english: null };
  }
  if (/^\d+\.\d+$/u.test(tok)) return { readings: [num(Number(tok))], english: null };
  m = /^(\d+),(\d{1,2}|\d{4,})$/u.exec(tok);
  // A decimal comma copied from the source ("3,5"): a value, which fixNumbers rewrites.
  if (m) return { readings: [num(Number(`${m[1]}.${m[2]}`))], english: null };
  return null;
}

function clock(h: number, min: number, ap: string): NumberReading {
  const pm = ap.toLowerCase() === 'p';
  const hour = (h % 12) + (pm ? 12 : 0);
  return { kind: 'time', value: hour * 60 + min };
}

function scaleAfter(after: string): number | null {
  const m = SCALE_AFTER_RE.exec(after);
  return m ? SCALES[m[1]!.toLowerCase()] ?? null : null;
}

/** "1,5 juta" is also 1500000, so that "1.5 million" and "1,500,000" both match it. */
function withScale(readings: NumberReading[], after: string): NumberReading[] {
  const scale = scaleAfter(after);
  if (scale === null) return readings;
  return [...readings, ...readings.filter((r) => r.kind === 'number').map((r) => num(r.value * scale))];
}

/** Number words of an English text ("two", "third", "twenty-five", "a million"). */
function numberWords(text: string): FoundNumber[] {
  const out: FoundNumber[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const word = m[0].toLowerCase();
    const end = m.index + m[0].length;
    const value = WORD_VALUES.get(word);
    if (value !== undefined) {
      out.push({ text: m[0], start: m.index, end, readings: withScale([num(value)], text.slice(end, end + 16)), english: null });
      continue;
    }
    const scale = SCALES[word];
    // A bare scale word ("a million", "thousands of") stands for the scale itself.
    if (scale !== undefined && !/[\p{N}]\s?$/u.test(text.slice(Math.max(0, m.index - 2), m.index))) {
      out.push({ text: m[0], start: m.index, end, readings: [num(scale), num(1)], english: null });
    }
  }
  return out;
}
