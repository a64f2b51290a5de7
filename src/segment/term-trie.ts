/**
 * All glossary and keep terms in one trie, so a text is matched in one pass whatever the number of
 * terms: at each position where a word may start, one walk down the trie finds every term that
 * matches there. (One regular expression per term, tried in turn, cost 0.5 s a sentence at 32,000
 * terms.)
 *
 * The trie is a single Map from (node, code point) to node, which keeps 100,000 terms in tens of
 * megabytes rather than one Map per node. Terms with an upper-case letter are matched exactly;
 * the others after case folding (as a regular expression's `iu` flags fold), in a second root.
 * A run of whitespace in a term matches any run of whitespace in the text.
 */

/** Edge for a whitespace run: above every code point. */
const WS = 0x110000;
const KEY_BASE = 0x200000;

const WORD = /[\p{L}\p{N}_]/u;
const SPACE = /\s/u;

export interface TrieTerm {
  readonly term: string;
  /** Lower wins when several terms match at one position. */
  readonly rank: number;
  readonly caseSensitive: boolean;
}

export interface TrieMatch {
  readonly end: number;
  readonly rank: number;
}

/** Simple case folding, as `/x/iu` compares: one code point to one, else the code point itself. */
export function foldCodePoint(cp: number): number {
  const c = String.fromCodePoint(cp);
  const upper = c.toUpperCase();
  const viaUpper = upper.length === c.length || [...upper].length === 1 ? upper.toLowerCase() : c.toLowerCase();
  const folded = [...viaUpper].length === 1 ? viaUpper : c.toLowerCase();
  return [...folded].length === 1 ? folded.codePointAt(0)! : cp;
}

function isWordCodePoint(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f;
  return WORD.test(String.fromCodePoint(cp));
}

function isSpaceCodePoint(cp: number): boolean {
  if (cp < 0x80) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  return SPACE.test(String.fromCodePoint(cp));
}

/** The code point ending just before `i`, or -1 at the start. */
function codePointBefore(text: string, i: number): number {
  if (i <= 0) return -1;
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(i - 2)!;
  }
  return low;
}

export class TermTrie {
  private readonly edges = new Map<number, number>();
  /** Best rank of the terms ending at a node. */
  private readonly ends = new Map<number, number>();
  private nodes = 2;
  private static readonly EXACT = 0;
  private static readonly FOLDED = 1;
  /** Folded code points, memoised: folding goes through strings. */
  private readonly foldCache = new Map<number, number>();

  constructor(terms: Iterable<TrieTerm>) {
    for (const t of terms) this.add(t);
  }

  get size(): number {
    return this.nodes;
  }

  private fold(cp: number): number {
    if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
    let f = this.foldCache.get(cp);
    if (f === undefined) {
      f = foldCodePoint(cp);
      this.foldCache.set(cp, f);
    }
    return f;
  }

  private add(t: TrieTerm): void {
    let node = t.caseSensitive ? TermTrie.EXACT : TermTrie.FOLDED;
    let inSpace = false;
    for (const ch of t.term.trim()) {
      const cp = ch.codePointAt(0)!;
      if (isSpaceCodePoint(cp)) {
        inSpace = true;
        continue;
      }
      if (inSpace) {
        node = this.step(node, WS);
        inSpace = false;
      }
      node = this.step(node, t.caseSensitive ? cp : this.fold(cp));
    }
    if (node <= TermTrie.FOLDED) return;
    const had = this.ends.get(node);
    if (had === undefined || t.rank < had) this.ends.set(node, t.rank);
  }

  private step(node: number, key: number): number {
    const k = node * KEY_BASE + key;
    let next = this.edges.get(k);
    if (next === undefined) {
      next = this.nodes++;
      this.edges.set(k, next);
    }
    return next;
  }

  /** The best-ranked term matching whole-word at `start`, or undefined. */
  matchAt(text: string, start: number): TrieMatch | undefined {
    if (start > 0 && isWordCodePoint(codePointBefore(text, start))) return undefined;
    const exact = this.walk(text, start, TermTrie.EXACT, false);
    const folded = this.walk(text, start, TermTrie.FOLDED, true);
    if (exact === undefined) return folded;
    if (folded === undefined) return exact;
    return folded.rank < exact.rank ? folded : exact;
  }

  private walk(text: string, start: number, root: number, fold: boolean): TrieMatch | undefined {
    let best: TrieMatch | undefined;
    let node = root;
    let i = start;
    for (;;) {
      const rank = this.ends.get(node);
      if (rank !== undefined && (best === undefined || rank < best.rank)) {
        const after = i < text.length ? text.codePointAt(i)! : -1;
        if (after === -1 || !isWordCodePoint(after)) best = { end: i, rank };
      }
      if (i >= text.length) return best;
      const cp = text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      if (isSpaceCodePoint(cp)) {
        const next = this.edges.get(node * KEY_BASE + WS);
        if (next === undefined) return best;
        let j = i + width;
        while (j < text.length && isSpaceCodePoint(text.codePointAt(j)!)) j += text.codePointAt(j)! > 0xffff ? 2 : 1;
        node = next;
        i = j;
        continue;
      }
      const next = this.edges.get(node * KEY_BASE + (fold ? this.fold(cp) : cp));
      if (next === undefined) return best;
      node = next;
      i += width;
    }
  }
}
