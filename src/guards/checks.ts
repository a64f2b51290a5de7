/**
 * Checks on one translated sentence, for the failures OPUS-MT users meet again and again: output
 * stuck in a loop, text dropped from long inputs, the source copied, numbers and names changed.
 * Each check is pure and cheap (they run on every sentence of every article).
 */
import type { Config } from '../config/schema.js';
import type { SegmentFlag } from '../types.js';
import { findTerms } from '../segment/glossary.js';
import { findNumbers, readingKey } from './numbers.js';
import { EN_STOPWORDS, ID_FUNCTION_WORDS, verbatimSpans, without, words, type Span } from './spans.js';

export interface CheckOptions {
  /** Flag 'too-short' / 'too-long' outside [min, max] target/source characters. */
  readonly minLengthRatio: number;
  readonly maxLengthRatio: number;
  /** An n-gram repeated this often (and more often than anything in the source) is a loop. */
  readonly maxRepeats: number;
  /** Character-bigram similarity (0–1) from which a target counts as the source copied. */
  readonly copySimilarity: number;
  /** Indonesian term → English wanted: the English must be in the target. */
  readonly glossary?: Readonly<Record<string, string>>;
  /** Terms copied as written: they must be in the target as written. */
  readonly keep?: readonly string[];
}

export function checkOptionsFrom(config: Config): CheckOptions {
  return {
    minLengthRatio: config.guards.min_length_ratio,
    maxLengthRatio: config.guards.max_length_ratio,
    maxRepeats: config.guards.max_repeats,
    copySimilarity: config.guards.copy_similarity,
    glossary: config.glossary,
    keep: config.segment.keep,
  };
}

/** One object, so the compiled term matcher is cached for it too. */
const NO_GLOSSARY: Readonly<Record<string, string>> = {};

/** Segments shorter than this (characters, frozen spans excluded) have too noisy a length ratio. */
export const MIN_CHECKED_LENGTH = 12;

/** Every check, flags in a fixed order, each at most once. */
export function checkTranslation(source: string, target: string, opts: CheckOptions): SegmentFlag[] {
  const flags: SegmentFlag[] = [];
  const stripped = stripFrozen(source, target, opts);
  if (hasRepetition(source, target, opts.maxRepeats)) flags.push('repetition');
  const length = lengthFlagOf(stripped, opts);
  if (length !== null) flags.push(length);
  if (isUntranslatedOf(stripped, opts)) flags.push('untranslated');
  if (lostSpans(source, target, opts).length > 0) flags.push('lost-span');
  return flags;
}

// ---------------------------------------------------------------- repetition

/**
 * The strongest repetition in `text`: the longest run of one n-gram (n = 1..4) back to back,
 * or the most occurrences of one n-gram (n = 2..4, not only function words) in a short window,
 * which catches loops with a word between ("I'm sorry, I'm sorry and I'm sorry").
 */
export function repetitionScore(text: string, maxRepeats = 3): number {
  const toks = words(text);
  let best = 1;
  for (let n = 1; n <= 4; n++) {
    for (let i = 0; i + 2 * n <= toks.length; i++) {
      let k = 1;
      while (i + (k + 1) * n <= toks.length && sameGram(toks, i, i + k * n, n)) k++;
      if (k > best) best = k;
    }
  }
  for (let n = 2; n <= 4; n++) {
    const window = n * maxRepeats + 2 * maxRepeats;
    const positions = new Map<string, number[]>();
    for (let i = 0; i + n <= toks.length; i++) {
      const gram = toks.slice(i, i + n);
      if (gram.every((w) => EN_STOPWORDS.has(w) || ID_FUNCTION_WORDS.has(w))) continue;
      const key = gram.join(' ');
      const list = positions.get(key);
      if (list) list.push(i);
      else positions.set(key, [i]);
    }
    for (const list of positions.values()) {
      let lo = 0;
      for (let hi = 0; hi < list.length; hi++) {
        while (list[hi]! + n - list[lo]! > window) lo++;
        best = Math.max(best, hi - lo + 1);
      }
    }
  }
  return best;
}

function sameGram(toks: readonly string[], a: number, b: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (toks[a + j] !== toks[b + j]) return false;
  return true;
}

/** A loop in the target that the source does not have ("Hidup! Hidup! Hidup!" may repeat). */
export function hasRepetition(source: string, target: string, maxRepeats: number): boolean {
  const t = repetitionScore(target, maxRepeats);
  return t >= maxRepeats && t > repetitionScore(source, maxRepeats);
}

// ---------------------------------------------------------------- length

/** 'too-short' (likely omission) or 'too-long' when the character ratio is far from usual. */
export function lengthFlag(source: string, target: string, opts: CheckOptions): 'too-short' | 'too-long' | null {
  return lengthFlagOf(stripFrozen(source, target, opts), opts);
}

function lengthFlagOf({ source: s, target: t }: Stripped, opts: CheckOptions): 'too-short' | 'too-long' | null {
  const sl = visibleLength(s);
  if (sl < MIN_CHECKED_LENGTH) return null;
  const ratio = visibleLength(t) / sl;
  if (ratio < opts.minLengthRatio) return 'too-short';
  if (ratio > opts.maxLengthRatio) return 'too-long';
  return null;
}

function visibleLength(text: string): number {
  return text.replace(/\s+/gu, ' ').trim().length;
}

interface Stripped {
  readonly source: string;
  readonly target: string;
}

/** Source and target without the spans that are copied or fixed (URLs, glossary terms…). */
function stripFrozen(source: string, target: string, opts: CheckOptions): Stripped {
  const terms = findTerms(source, opts.glossary ?? NO_GLOSSARY, opts.keep);
  const sourceRanges: Span[] = [...verbatimSpans(source), ...terms.map((m) => ({ ...m, text: source.slice(m.start, m.end) }))];
  const wanted = terms.map((m) => m.target ?? m.term);
  const targetRanges: Span[] = [...verbatimSpans(target), ...occurrences(target, wanted)];
  return { source: without(source, dropOverlaps(sourceRanges)), target: without(target, dropOverlaps(targetRanges)) };
}

function occurrences(text: string, needles: readonly string[]): Span[] {
  const out: Span[] = [];
  const lower = text.toLowerCase();
  for (const needle of new Set(needles)) {
    const n = needle.toLowerCase();
    if (n === '') continue;
    for (let i = lower.indexOf(n); i >= 0; i = lower.indexOf(n, i + n.length)) out.push({ start: i, end: i + n.length, text: needle });
  }
  return out;
}

function dropOverlaps(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of spans) if (out.length === 0 || s.start >= out[out.length - 1]!.end) out.push(s);
  return out;
}

// ---------------------------------------------------------------- untranslated

/** Sørensen–Dice similarity of the character bigrams of two strings (0–1). */
export function bigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  // Numeric keys (two UTF-16 units) keep this allocation-free per bigram: it runs on every sentence.
  const grams = new Map<number, number>();
  for (let i = 0; i + 1 < a.length; i++) {
    const g = a.charCodeAt(i) * 65536 + a.charCodeAt(i + 1);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i + 1 < b.length; i++) {
    const g = b.charCodeAt(i) * 65536 + b.charCodeAt(i + 1);
    const c = grams.get(g) ?? 0;
    if (c > 0) {
      shared++;
      grams.set(g, c - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + (b.length - 1));
}

/** Lower-case letters and single spaces: numbers, punctuation and copied spans do not count. */
function lettersOnly(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}]+/gu, ' ').trim();
}

/**
 * The target is (nearly) the source copied. Not flagged: segments that are mostly names, numbers
 * or URLs (they are rightly copied), and sources that are themselves English (a quote).
 */
export function isUntranslated(source: string, target: string, opts: CheckOptions): boolean {
  return isUntranslatedOf(stripFrozen(source, target, opts), opts);
}

function isUntranslatedOf({ source: s, target: t }: Stripped, opts: CheckOptions): boolean {
  const a = lettersOnly(s);
  if (a.length < MIN_CHECKED_LENGTH) return false;
  const b = lettersOnly(t);
  // Dice cannot reach the threshold when the lengths differ this much; most translations stop here.
  if ((2 * Math.min(a.length, b.length)) / (a.length + b.length) < opts.copySimilarity) return false;
  if (bigramSimilarity(a, b) < opts.copySimilarity) return false;
  const toks = s.match(/\p{L}[\p{L}\p{N}'’-]*/gu) ?? [];
  const common = toks.filter((w) => /^\p{Ll}/u.test(w)).length;
  if (common < 2 || common * 2 < toks.length) return false;
  return !looksEnglish(s);
}

function looksEnglish(text: string): boolean {
  const ws = words(text);
  const en = ws.filter((w) => EN_STOPWORDS.has(w) && !ID_FUNCTION_WORDS.has(w)).length;
  const id = ws.filter((w) => ID_FUNCTION_WORDS.has(w)).length;
  return en >= 2 && en > id;
}

// ---------------------------------------------------------------- lost spans

/**
 * What of the source is missing from the target, as written in the source: URLs, e-mail
 * addresses, handles, hashtags and code spans (verbatim), keep terms (verbatim), glossary terms
 * (their English, any case), numbers (by value: 1.200 = 1,200; 3,5 = 3.5; pukul 16.00 = 4 p.m.).
 */
export function lostSpans(source: string, target: string, opts: CheckOptions): string[] {
  const lost: string[] = [];
  const spans = verbatimSpans(source);
  for (const s of spans) if (!target.includes(s.text)) lost.push(s.text);

  const terms = findTerms(source, opts.glossary ?? NO_GLOSSARY, opts.keep);
  const lowerTarget = target.toLowerCase().replace(/\s+/gu, ' ');
  for (const m of terms) {
    if (m.target === undefined) {
      if (!target.includes(source.slice(m.start, m.end))) lost.push(source.slice(m.start, m.end));
    } else if (!lowerTarget.includes(m.target.toLowerCase().replace(/\s+/gu, ' '))) {
      lost.push(source.slice(m.start, m.end));
    }
  }

  const covered = [...spans, ...terms];
  const targetKeys = new Set<string>();
  for (const lang of ['en', 'id'] as const) {
    for (const n of findNumbers(target, lang)) for (const r of n.readings) targetKeys.add(readingKey(r));
  }
  for (const n of findNumbers(source, 'id')) {
    if (covered.some((c) => n.start < c.end && n.end > c.start)) continue;
    if (!n.readings.some((r) => targetKeys.has(readingKey(r)))) lost.push(n.text);
  }
  return lost;
}
