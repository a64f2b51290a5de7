/**
 * Splits a sentence into clauses for the last recovery step: a model that loops or drops text
 * on a long sentence usually translates its clauses cleanly one by one.
 */
import { verbatimSpans } from './spans.js';

export interface ClauseSplit {
  readonly clauses: readonly string[];
  /** separators[i] stands between clauses[i] and clauses[i + 1], copied into the English as is. */
  readonly separators: readonly string[];
}

/** Indonesian conjunctions that open a new clause; the split goes before them. */
const CONJUNCTIONS = [
  'tetapi', 'namun', 'sedangkan', 'sementara', 'sehingga', 'karena', 'padahal', 'meskipun', 'walaupun',
  'serta', 'lalu', 'kemudian', 'agar', 'supaya', 'hingga', 'bahkan',
];
/** Punctuation with the whitespace after it ("3,5" has none, so numbers stay whole). */
const PUNCT_RE = /[,;:]\s+/gu;
const CONJ_RE = new RegExp(`\\s+(?=(?:${CONJUNCTIONS.join('|')})(?![\\p{L}\\p{N}]))`, 'giu');
/** Clauses with fewer words are joined to a neighbour: the model needs some context. */
const MIN_WORDS = 3;

/** Clauses of `sentence`; joining clauses and separators in turn gives the sentence back. */
export function splitClauses(sentence: string): ClauseSplit {
  const spans = verbatimSpans(sentence);
  const inSpan = (i: number): boolean => spans.some((s) => i >= s.start && i < s.end);
  const cuts: Array<{ start: number; end: number }> = [];
  for (const re of [PUNCT_RE, CONJ_RE]) {
    for (const m of sentence.matchAll(re)) {
      if (!inSpan(m.index)) cuts.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  cuts.sort((a, b) => a.start - b.start);
  let clauses: string[] = [];
  let separators: string[] = [];
  let pos = 0;
  for (const c of cuts) {
    if (c.start < pos) continue;
    clauses.push(sentence.slice(pos, c.start));
    separators.push(sentence.slice(c.start, c.end));
    pos = c.end;
  }
  clauses.push(sentence.slice(pos));

  // Join short or letterless clauses to their neighbour until every clause can stand alone.
  for (let i = 0; clauses.length > 1 && i < clauses.length; ) {
    if (standsAlone(clauses[i]!)) {
      i++;
      continue;
    }
    const j = i === clauses.length - 1 ? i - 1 : i; // join with the next one, or the previous for the last
    clauses = [...clauses.slice(0, j), clauses[j]! + separators[j]! + clauses[j + 1]!, ...clauses.slice(j + 2)];
    separators = [...separators.slice(0, j), ...separators.slice(j + 1)];
    i = Math.max(0, j - 1);
  }
  return { clauses, separators };
}

function standsAlone(clause: string): boolean {
  return /\p{L}/u.test(clause) && (clause.match(/[\p{L}\p{N}]+/gu) ?? []).length >= MIN_WORDS;
}

/** Joins translated clauses with the source's separators. */
export function joinClauses(translated: readonly string[], separators: readonly string[]): string {
  let out = '';
  translated.forEach((t, i) => {
    out += t + (separators[i] ?? '');
  });
  return out;
}
