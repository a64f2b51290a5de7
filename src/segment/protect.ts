/**
 * Marks the spans of a sentence that must reach the output exactly as written (URLs, e-mail
 * addresses, handles, hashtags: see span-rules.ts; terms to keep, Markdown syntax) as frozen; the
 * rest is text for the model.
 *
 * Guarantees, relied on by the translate and reassemble stages:
 * - parts.map(p => p.text).join('') === sentence;
 * - a translatable part contains a letter and never starts or ends with whitespace (that
 *   whitespace is frozen, so the model never has to reproduce it);
 * - adjacent parts differ in `frozen`.
 */

import { normaliseLabel } from '../parse/markdown-definitions.js';
import { htmlFrozenRanges } from './html-spans.js';
import { findVerbatimRanges, mergeRanges, type Range } from './span-rules.js';

export interface ProtectedPart {
  readonly text: string;
  readonly frozen: boolean;
}

export interface ProtectOptions {
  /** Also freeze Markdown syntax: inline code, HTML tags, link targets, emphasis markers. */
  readonly markdown: boolean;
  /** Terms copied verbatim (case-sensitive, whole words): product names, acronyms. */
  readonly keep?: readonly string[];
  /** The text is a run of a web page's HTML: freeze its tags, comments and code (see html-spans.ts). */
  readonly html?: boolean;
  /** Markdown link labels defined in the document (normalised): "[label]" references stay as written. */
  readonly linkLabels?: ReadonlySet<string>;
}

export function protectSpans(sentence: string, opts: ProtectOptions): ProtectedPart[] {
  return partsFromRanges(sentence, findFrozenRanges(sentence, opts));
}

/** True when at least one part would be sent to the model. */
export function hasTranslatableText(parts: readonly ProtectedPart[]): boolean {
  return parts.some((p) => !p.frozen && /\p{L}/u.test(p.text));
}

const MD_AUTOLINK_RE = /<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>/g;
const MD_HTML_RE = /<\/?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?\/?>/g;
const MD_ENTITY_RE = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;
/**
 * Link and image syntax: every bracket (so "![alt]" and "[text]" keep theirs whatever the model
 * does), the destination and title of an inline link, the label of a full reference.
 * Link text and alt text between the brackets are translated.
 */
const MD_BRACKET_RE = /!?\[|\]/g;
const MD_LINK_TAIL_RE =
  /\]\((?:<[^<>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?\s*\)/g;
const MD_REF_LABEL_RE = /\]\[(?:[^[\]\\]|\\.)*\]/g;
/** "[foo]" or "[foo][]": when foo is a defined label, the text is the label and must stay as it is. */
const MD_SHORTCUT_RE = /!?\[((?:[^[\]\\]|\\.)+)\](?:\[\])?(?!\()/g;
/** A backslash before a line break (hard break) or before ASCII punctuation (an escape). */
const MD_BACKSLASH_RE = /\\(?=\r?\n)|\\[!-/:-@[-`{-~]/g;

/** Frozen ranges of `sentence`, sorted and merged (overlapping or touching ranges become one). */
export function findFrozenRanges(sentence: string, opts: ProtectOptions): Range[] {
  const ranges: Array<[number, number]> = [];
  const add = (start: number, end: number): void => {
    if (end > start) ranges.push([start, end]);
  };
  const addAll = (re: RegExp): void => {
    for (const m of sentence.matchAll(re)) add(m.index, m.index + m[0].length);
  };

  for (const [start, end] of findVerbatimRanges(sentence, { code: opts.markdown })) add(start, end);
  const keep = keepRegExp(opts.keep);
  if (keep) addAll(keep);

  if (opts.html === true) for (const r of htmlFrozenRanges(sentence)) add(r[0], r[1]);
  if (opts.markdown) {
    addAll(MD_AUTOLINK_RE);
    addAll(MD_HTML_RE);
    for (const r of htmlComments(sentence)) add(r[0], r[1]);
    addAll(MD_ENTITY_RE);
    for (const r of emphasisMarkers(sentence)) add(r[0], r[1]);
    addAll(MD_BACKSLASH_RE);
    addAll(MD_BRACKET_RE);
    addAll(MD_LINK_TAIL_RE);
    addAll(MD_REF_LABEL_RE);
    if (opts.linkLabels !== undefined && opts.linkLabels.size > 0) {
      for (const m of sentence.matchAll(MD_SHORTCUT_RE)) {
        if (opts.linkLabels.has(normaliseLabel(m[1]!))) add(m.index, m.index + m[0].length);
      }
    }
  }
  return mergeRanges(ranges);
}

/**
 * Parts of `text` given frozen ranges (sorted, merged, within the text): translatable stretches
 * without letters are frozen too, whitespace at the edges of translatable stretches moves into
 * the frozen neighbours, and equal neighbours are joined.
 */
export function partsFromRanges(text: string, ranges: readonly Range[]): ProtectedPart[] {
  const raw: ProtectedPart[] = [];
  let pos = 0;
  const pushFree = (end: number): void => {
    if (end <= pos) return;
    const chunk = text.slice(pos, end);
    const lead = chunk.length - chunk.trimStart().length;
    const body = chunk.trim();
    if (body === '' || !/\p{L}/u.test(body)) {
      raw.push({ text: chunk, frozen: true });
      return;
    }
    if (lead > 0) raw.push({ text: chunk.slice(0, lead), frozen: true });
    raw.push({ text: body, frozen: false });
    if (lead + body.length < chunk.length) raw.push({ text: chunk.slice(lead + body.length), frozen: true });
  };
  for (const [start, end] of ranges) {
    pushFree(start);
    if (end > start) raw.push({ text: text.slice(start, end), frozen: true });
    pos = Math.max(pos, end);
  }
  pushFree(text.length);
  return mergeParts(raw);
}

/** Joins neighbouring parts with the same `frozen`. */
export function mergeParts(parts: readonly ProtectedPart[]): ProtectedPart[] {
  const out: ProtectedPart[] = [];
  for (const p of parts) {
    if (p.text === '') continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.frozen === p.frozen) out[out.length - 1] = { text: last.text + p.text, frozen: p.frozen };
    else out.push(p);
  }
  return out;
}

/** "<!-- … -->" by indexOf: a regex would rescan to the end for every unclosed "<!--". */
function htmlComments(text: string): Range[] {
  const out: Range[] = [];
  for (let start = text.indexOf('<!--'); start >= 0; ) {
    const close = text.indexOf('-->', start + 4);
    if (close < 0) break;
    out.push([start, close + 3]);
    start = text.indexOf('<!--', close + 3);
  }
  return out;
}

/**
 * Runs of * and _ that delimit emphasis: flanking as CommonMark defines it, and paired with a
 * run of the same character, so that a lone "*" (a glob such as "*.deb", a product sign) stays text.
 */
function emphasisMarkers(text: string): Range[] {
  const out: Range[] = [];
  // One stack per character keeps each closer O(1); "*" and "_" pairs rarely interleave.
  const stacks = new Map<string, Array<{ start: number; end: number; unused: number }>>([
    ['*', []],
    ['_', []],
  ]);
  const isSpace = (c: string | undefined): boolean => c === undefined || /\s/u.test(c);
  const isPunct = (c: string | undefined): boolean => c !== undefined && /[\p{P}\p{S}]/u.test(c);
  for (const m of text.matchAll(/\*+|_+/g)) {
    const start = m.index;
    const end = start + m[0].length;
    const ch = m[0][0]!;
    const before = text[start - 1];
    const after = text[end];
    const left = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
    const right = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
    // "_" inside a word (snake_case) neither opens nor closes.
    const canOpen = ch === '*' ? left : left && (!right || isPunct(before));
    const canClose = ch === '*' ? right : right && (!left || isPunct(after));
    const stack = stacks.get(ch)!;
    const opener = stack[stack.length - 1];
    if (canClose && opener !== undefined) {
      out.push([opener.start, opener.end], [start, end]);
      // "***a* b**": the closer uses one of three, and the opener stays open for the "**".
      opener.unused -= end - start;
      if (opener.unused <= 0) stack.pop();
    } else if (canOpen) {
      stack.push({ start, end, unused: end - start });
    }
  }
  return out;
}

const keepCache = new WeakMap<readonly string[], RegExp | null>();

function keepRegExp(keep: readonly string[] | undefined): RegExp | null {
  if (keep === undefined || keep.length === 0) return null;
  const cached = keepCache.get(keep);
  if (cached !== undefined) return cached;
  const terms = [...new Set(keep.filter((t) => t.trim() !== ''))].sort((a, b) => b.length - a.length);
  const re =
    terms.length === 0
      ? null
      : new RegExp(
          `(?<![\\p{L}\\p{N}_])(?:${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}\\p{N}_])`,
          'gu',
        );
  keepCache.set(keep, re);
  return re;
}
