/**
 * The spans that must reach the English exactly as written, in any input format: URLs, e-mail
 * addresses, @handles, #hashtags, and inline `code`. Defined once, because two users must agree
 * on them: the segmenter freezes them (segment/protect.ts) and the lost-span guard checks that
 * each is still in the translation (guards/spans.ts).
 */

/** A half-open [start, end) range of code units. */
export type Range = readonly [number, number];

const URL_RE = /\b(?:(?:https?|ftp|file):\/\/|www\.)[^\s<>"“”‘’`]+/giu;
/** The lookbehind makes each attempt start at the beginning of a word, which keeps this linear. */
const EMAIL_RE = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const HANDLE_RE = /(?<![\p{L}\p{N}_.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?/gu;
const HASHTAG_RE = /(?<![\p{L}\p{N}_&#/])#(?=[\p{N}_]*\p{L})[\p{L}\p{N}_]+/gu;
/** No URL, address, handle, hashtag or code without one of these: most sentences skip the scans. */
const MAYBE_RE = /[@#`]|:\/\/|www\./iu;

export interface VerbatimOptions {
  /** Also inline code spans (the segmenter freezes them in Markdown only; the guard always looks). */
  readonly code: boolean;
}

/** The verbatim spans of `text`, sorted and merged (overlapping or touching spans become one). */
export function findVerbatimRanges(text: string, opts: VerbatimOptions): Range[] {
  if (!MAYBE_RE.test(text)) return [];
  const ranges: Array<[number, number]> = [];
  const add = (start: number, end: number): void => {
    if (end > start) ranges.push([start, end]);
  };
  for (const m of text.matchAll(URL_RE)) add(m.index, m.index + trimUrl(m[0]).length);
  for (const re of [EMAIL_RE, HANDLE_RE, HASHTAG_RE]) for (const m of text.matchAll(re)) add(m.index, m.index + m[0].length);
  if (opts.code) for (const [start, end] of codeSpans(text)) add(start, end);
  return mergeRanges(ranges);
}

/** Sorts and merges ranges; overlapping or touching ranges become one. */
export function mergeRanges(ranges: ReadonlyArray<Range>): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Drops punctuation that ends the sentence rather than the URL; keeps balanced brackets. */
export function trimUrl(url: string): string {
  const balance = (open: string, close: string): number => url.split(open).length - url.split(close).length;
  let parens = balance('(', ')');
  let squares = balance('[', ']');
  let end = url.length;
  for (;;) {
    const ch = url[end - 1];
    if (ch === undefined) break;
    if ('.,;:!?\'"’”»…*_'.includes(ch)) end--;
    else if (ch === ')' && parens < 0) {
      end--;
      parens++;
    } else if (ch === ']' && squares < 0) {
      end--;
      squares++;
    } else break;
  }
  return url.slice(0, end);
}

/**
 * Inline code spans: a run of n backticks up to the next run of exactly n (CommonMark). Runs are
 * indexed once so that unmatched runs do not make the scan quadratic.
 */
export function codeSpans(text: string): Range[] {
  const runs: Array<{ start: number; len: number }> = [];
  for (const m of text.matchAll(/`+/g)) runs.push({ start: m.index, len: m[0].length });
  const byLength = new Map<number, number[]>();
  runs.forEach((r, i) => {
    const list = byLength.get(r.len);
    if (list) list.push(i);
    else byLength.set(r.len, [i]);
  });
  const cursor = new Map<number, number>();
  const out: Range[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const same = byLength.get(run.len)!;
    let c = cursor.get(run.len) ?? 0;
    while (c < same.length && same[c]! <= i) c++;
    cursor.set(run.len, c);
    const closer = same[c];
    if (closer === undefined) continue;
    const close = runs[closer]!;
    out.push([run.start, close.start + close.len]);
    i = closer;
  }
  return out;
}
