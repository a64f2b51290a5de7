/**
 * Clauses for the last recovery step: a model that loops or drops text on a long sentence
 * usually translates its halves cleanly. The cut points are the segmenter's (strongest first:
 * ; : dashes, commas, conjunctions).
 */
import { splitLongSentence } from '../segment/clauses.js';
import { htmlFrozenRanges } from '../segment/html-spans.js';
import { mergeRanges } from '../segment/span-rules.js';
import { EN_STOPWORDS, verbatimSpans } from './spans.js';

export interface ClauseSplit {
  readonly clauses: readonly string[];
  /** separators[i] stands between clauses[i] and clauses[i + 1], copied into the English as is. */
  readonly separators: readonly string[];
}

/** Below this many tokens a sentence is not split: its halves would be fragments. */
export const MIN_SPLIT_TOKENS = 12;
/**
 * Longest clause asked for. Pieces of at most 2/3 of the sentence let the segmenter take one
 * strong cut (a comma a little past the middle) instead of cutting again at a weak one; past
 * this many tokens OPUS-MT starts dropping text, so long sentences are cut further.
 */
export const MAX_CLAUSE_TOKENS = 64;

/** Clauses of `sentence`; joining clauses and separators in turn gives the sentence back. */
export function splitClauses(sentence: string, countTokens: (s: string) => number): ClauseSplit {
  const total = countTokens(sentence);
  if (total < MIN_SPLIT_TOKENS) return { clauses: [sentence], separators: [] };
  // Never inside a URL or code, nor inside an HTML tag or element of a web page's sentence.
  const avoid = mergeRanges([...verbatimSpans(sentence).map((s) => [s.start, s.end] as const), ...htmlFrozenRanges(sentence)]);
  const limit = Math.min(Math.ceil((total * 2) / 3), MAX_CLAUSE_TOKENS);
  const pieces = splitLongSentence(sentence, limit, countTokens, { avoid });
  const clauses = pieces.map((p) => p.text);
  const separators = pieces.slice(0, -1).map((p) => p.trailing);
  const tail = pieces[pieces.length - 1]?.trailing ?? '';
  if (tail !== '' && clauses.length > 0) clauses[clauses.length - 1] += tail;
  return { clauses, separators };
}

const CLAUSE_OPENERS: ReadonlySet<string> = new Set(
  [...EN_STOPWORDS, 'but', 'while', 'because', 'although', 'though', 'so', 'even', 'whereas', 'meanwhile', 'however',
    'until', 'since', 'thus', 'then', 'yet'].filter((w) => w !== 'i'),
);

/**
 * The model translates a clause as a sentence: capitalised and with a full stop. Inside the
 * sentence those are wrong: the source clause's own closing , ; : replaces the model's, and a
 * capitalised function word is lowered where the source clause began in lower case.
 */
export function fitClause(source: string, target: string, last: boolean): string {
  let out = target.trim();
  if (!last) {
    const close = /([,;:])["'”’)\]]*$/u.exec(source.trimEnd())?.[1];
    if (close !== undefined && !out.endsWith(close)) out = out.replace(/[.,;:]$/u, '') + close;
    else if (close === undefined && /\.$/u.test(out) && !/[.!?]["'”’)\]]*$/u.test(source.trimEnd())) out = out.slice(0, -1);
  }
  const firstWord = /^\p{Lu}\p{Ll}*(?!\p{L})/u.exec(out)?.[0];
  if (/^\p{Ll}/u.test(source) && firstWord !== undefined && CLAUSE_OPENERS.has(firstWord.toLowerCase())) {
    out = out.charAt(0).toLowerCase() + out.slice(1);
  }
  return out;
}

/** Joins translated clauses (fitted to their sources) with the source's separators. */
export function joinClauses(split: ClauseSplit, translated: readonly string[]): string {
  let out = '';
  translated.forEach((t, i) => {
    out += fitClause(split.clauses[i] ?? '', t, i === translated.length - 1) + (split.separators[i] ?? '');
  });
  return out;
}
