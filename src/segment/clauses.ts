/**
 * Splits a sentence that is longer than the model can take into clauses.
 *
 * Cut points, strongest first: `;` `:` and spaced dashes (— – - --), then commas, then the
 * whitespace before a subordinating conjunction (tetapi, karena, sehingga, …), then before a
 * coordinating one or "yang" (dan, atau, serta, yang, …), then any whitespace, and last a cut
 * between two characters (a "word" of thousands of characters is cut, never dropped).
 * Each step takes the strongest cut point near the middle — inside a window that keeps both
 * halves plausible — and recurses on both halves until every piece fits.
 *
 * Cost: the counter is called once on the whole sentence; after that piece sizes are estimated
 * from the tokens-per-character ratio of their parent and only pieces estimated to be near the
 * limit are counted (estimate, then verify). With a counter linear in its input, a sentence of
 * n characters costs O(n log n) character work and O(n) counting.
 *
 * Invariant: pieces.map(p => p.text + p.trailing).join('') === text. A piece's `text` never
 * ends with whitespace (only the first can start with it, if `text` does); its `trailing` is the
 * whitespace at the cut ('' for a cut between characters). Whitespace-only input gives one
 * piece with empty text; empty input gives none.
 */
import type { SentenceSpan } from '../types.js';

export interface ClauseOptions {
  /**
   * Sorted, non-overlapping [start, end) ranges that must not be cut (URLs, inline code…).
   * A piece made only of such a range is returned whole even when it is over the limit.
   */
  readonly avoid?: readonly (readonly [number, number])[];
}

const STRONG_CONJUNCTIONS = [
  'tetapi', 'tapi', 'namun', 'sedangkan', 'karena', 'sebab', 'sehingga', 'bahwa', 'ketika', 'saat',
  'sementara', 'walaupun', 'meskipun', 'padahal', 'agar', 'supaya', 'jika', 'jikalau', 'kalau',
  'apabila', 'setelah', 'sebelum', 'sejak', 'hingga', 'sampai', 'kemudian', 'lalu', 'melainkan',
  'bahkan', 'yaitu', 'yakni', 'seperti', 'akibatnya',
];
const WEAK_CONJUNCTIONS = ['dan', 'atau', 'serta', 'yang', 'maupun'];

const CLOSE = `["'”’»)\\]]*`;
/**
 * Cut points per tier, strongest first. The capture group is the whitespace at the cut: the left piece ends
 * where it starts, the right piece starts where it ends. Patterns only look behind by one
 * character, so that a long run of brackets or dashes cannot make the scan quadratic.
 */
const TIERS: readonly RegExp[] = [
  new RegExp(`[;:]${CLOSE}(\\s+)|(?<=\\S)\\s+(?:[—–]|--?)(\\s+)`, 'gu'),
  new RegExp(`,${CLOSE}(\\s+)`, 'gu'),
  conjunctionRegExp(STRONG_CONJUNCTIONS),
  conjunctionRegExp(WEAK_CONJUNCTIONS),
  /(\s+)/gu,
];

function conjunctionRegExp(words: readonly string[]): RegExp {
  return new RegExp(`(?<=\\S)(\\s+)(?=(?:${[...new Set(words)].join('|')})(?![\\p{L}\\p{N}_-]))`, 'giu');
}

/** Estimated pieces up to this multiple of the limit are counted; larger ones are split unseen. */
const VERIFY_FACTOR = 1.5;

interface Cut {
  /** End of the left piece's text. */
  readonly left: number;
  /** Start of the right piece (after the whitespace that becomes the left piece's trailing). */
  readonly right: number;
}

export function splitLongSentence(
  text: string,
  maxTokens: number,
  countTokens: (s: string) => number,
  options: ClauseOptions = {},
): SentenceSpan[] {
  if (!(maxTokens >= 1)) throw new RangeError(`splitLongSentence: maxTokens must be at least 1, got ${maxTokens}`);
  if (text === '') return [];
  const end = text.trimEnd().length;
  if (end === 0) return [{ text: '', trailing: text }];
  const body = text.slice(0, end);
  const total = countTokens(body);
  if (total <= maxTokens) return [{ text: body, trailing: text.slice(end) }];

  const index = new CutIndex(text, end, options.avoid ?? []);
  const pieces: Array<[number, number]> = [];
  const visit = (start: number, stop: number, tokens: number, counted: boolean): void => {
    if (!counted && tokens <= maxTokens * VERIFY_FACTOR) {
      visit(start, stop, countTokens(text.slice(start, stop)), true);
      return;
    }
    if (counted && tokens <= maxTokens) {
      pieces.push([start, stop]);
      return;
    }
    const cut = index.choose(start, stop, Math.min(1, maxTokens / tokens));
    if (cut === undefined) {
      pieces.push([start, stop]);
      return;
    }
    const perChar = tokens / (stop - start);
    visit(start, cut.left, perChar * (cut.left - start), false);
    visit(cut.right, stop, perChar * (stop - cut.right), false);
  };
  visit(0, end, total, true);

  return pieces.map(([start, stop], i) => ({
    text: text.slice(start, stop),
    trailing: text.slice(stop, pieces[i + 1]?.[0] ?? text.length),
  }));
}

/** All cut points of a text, per tier, sorted by position, found once. */
class CutIndex {
  private readonly tiers: Array<{ left: number[]; right: number[] }>;

  constructor(
    private readonly text: string,
    end: number,
    private readonly avoid: readonly (readonly [number, number])[],
  ) {
    const body = text.slice(0, end);
    this.tiers = TIERS.map((re) => {
      const left: number[] = [];
      const right: number[] = [];
      let a = 0;
      for (const m of body.matchAll(re)) {
        const gap = m[1] ?? m[2] ?? '';
        const r = m.index + m[0].length;
        const l = r - gap.length;
        while (a < avoid.length && avoid[a]![1] <= l) a++;
        if (this.insideAvoided(l, a) || this.insideAvoided(r, a)) continue;
        left.push(l);
        right.push(r);
      }
      return { left, right };
    });
  }

  /**
   * The cut for the piece [start, stop): the strongest tier with a cut inside the window around
   * the middle, nearest the middle; `fit` (limit / tokens) widens the window for a piece that is
   * only a little too long, so one cut can make both halves fit.
   */
  choose(start: number, stop: number, fit: number): Cut | undefined {
    const len = stop - start;
    const mid = start + len / 2;
    const lo = start + len * Math.min(0.25, 1 - fit);
    const hi = start + len * Math.max(0.75, fit);
    for (let t = 0; t < this.tiers.length; t++) {
      const last = t === this.tiers.length - 1;
      const cut = this.nearest(this.tiers[t]!, start, stop, mid);
      if (cut !== undefined && (last || (cut.right >= lo && cut.left <= hi))) return cut;
    }
    return this.characterCut(start, stop, mid);
  }

  private nearest(tier: { left: number[]; right: number[] }, start: number, stop: number, mid: number): Cut | undefined {
    const { left, right } = tier;
    // First cut whose right edge is at or after the middle.
    let lo = 0;
    let hi = right.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (right[m]! < mid) lo = m + 1;
      else hi = m;
    }
    let best: Cut | undefined;
    let bestDistance = Infinity;
    for (const i of [lo - 1, lo]) {
      const l = left[i];
      const r = right[i];
      if (l === undefined || r === undefined || l <= start || r >= stop) continue;
      const distance = Math.abs((l + r) / 2 - mid);
      if (distance < bestDistance) {
        best = { left: l, right: r };
        bestDistance = distance;
      }
    }
    return best;
  }

  /** A cut between characters near the middle: not inside a surrogate pair, a combining mark run or an avoided range. */
  private characterCut(start: number, stop: number, mid: number): Cut | undefined {
    let pos = Math.floor(mid);
    const avoided = this.avoidedAt(pos);
    if (avoided) {
      const [a, b] = avoided;
      const candidates = [a, b].filter((p) => p > start && p < stop).sort((x, y) => Math.abs(x - mid) - Math.abs(y - mid));
      if (candidates[0] === undefined) return undefined;
      return { left: candidates[0], right: candidates[0] };
    }
    const inside = (p: number): boolean => p > start && p < stop;
    // Prefer a cut that keeps a letter with its combining marks; a surrogate pair is never split.
    for (const step of [1, -1]) {
      let p = pos;
      for (let n = 0; n < 16 && inside(p) && isGlued(this.text, p); n++) p += step;
      if (inside(p) && !isGlued(this.text, p)) return { left: p, right: p };
    }
    if (isLowSurrogate(this.text, pos)) pos++;
    return inside(pos) ? { left: pos, right: pos } : undefined;
  }

  /** The avoided range strictly around `pos`, by binary search (there may be many). */
  private avoidedAt(pos: number): readonly [number, number] | undefined {
    let lo = 0;
    let hi = this.avoid.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.avoid[m]![1] <= pos) lo = m + 1;
      else hi = m;
    }
    const range = this.avoid[lo];
    return range !== undefined && range[0] < pos && pos < range[1] ? range : undefined;
  }

  private insideAvoided(pos: number, from: number): boolean {
    for (let i = from; i < this.avoid.length; i++) {
      const [a, b] = this.avoid[i]!;
      if (a >= pos) return false;
      if (pos < b) return true;
    }
    return false;
  }
}

/** Whether a cut before text[pos] would split a surrogate pair or detach a combining mark. */
function isGlued(text: string, pos: number): boolean {
  if (isLowSurrogate(text, pos)) return true;
  const cp = text.codePointAt(pos);
  return cp !== undefined && /[\p{M}\u200d\ufe0f]/u.test(String.fromCodePoint(cp));
}

/** A low surrogate that completes the pair before it. */
function isLowSurrogate(text: string, pos: number): boolean {
  const code = text.charCodeAt(pos);
  const prev = text.charCodeAt(pos - 1);
  return code >= 0xdc00 && code <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff;
}
