/**
 * Indonesian sentence splitter.
 *
 * Sentences only ever end at whitespace, so numbers (1.200, 16.00, 5.10.0-6, 3,5), file names,
 * URLs and e-mail addresses — which have no whitespace inside — are never cut. At each run of
 * whitespace the word before it and the word after it decide:
 *
 * - A blank line (two line breaks) always ends a sentence, and so does a line break before a
 *   list marker ("-", "•", "1.", "a)").
 * - `!` `?` (and combinations such as `?!`, `!!`) end a sentence.
 * - An ellipsis (`…`, `...`) ends one only when the next word starts with a capital letter:
 *   "menunggu… lalu" stays whole, "menunggu… Lalu" splits.
 * - A full stop after a normal word ends a sentence even when the next word is in lower case
 *   ("…kata dia. kemudian …" splits): in edited Indonesian text a lower-case start after a
 *   full stop is a typo far more often than a hidden abbreviation, and a missed split costs
 *   more (a run-on sentence for the model) than a wrong one (two fragments).
 * - A full stop after a known abbreviation: never after a title ("Dr.", "Jl.", "No.", "mis.");
 *   after a word that may close a sentence ("dll.", "Tbk.", "S.H.") only before a capital
 *   letter that is not another abbreviation. See abbreviations.ts.
 * - A full stop after initials ("J.K.", "H.") never ends a sentence; after a number only when
 *   the number is not list or heading numbering ("1. Buka berkas", "9.9. Kuota", "langkahnya: 2. …").
 * - Closing quotes and brackets after the punctuation stay with their sentence; when the next
 *   word then starts in lower case it is a reporting clause ("“Kapan?” tanya dia.") and the
 *   sentence goes on.
 *
 * Invariant: leading + spans.map(s => s.text + s.trailing).join('') === text.
 */
import type { SentenceSpan } from '../types.js';
import { abbreviationKind } from './abbreviations.js';

export interface SentenceSplit {
  /** Whitespace before the first sentence (the whole text when it has no sentence). */
  readonly leading: string;
  readonly spans: SentenceSpan[];
}

const TERMINATORS = new Set(['.', '!', '?', '…', '‼', '⁇', '⁈', '⁉']);
/** Characters that may follow the terminal punctuation and still belong to the sentence. */
const CLOSERS = new Set(['"', "'", '”', '’', '»', '›', ')', ']', '}', '*', '_']);
/** Characters that may open a sentence before its first letter. */
const OPENERS = new Set(['"', "'", '“', '‘', '„', '«', '‹', '(', '[', '{', '*', '_', '¿', '¡']);
/** Words after which a number with a full stop is a heading number: "Bab 2. Metode". */
const NUMBER_LABELS = new Set([
  'Bab', 'Bagian', 'Pasal', 'Langkah', 'Tahap', 'Lampiran', 'Gambar', 'Tabel', 'Chapter', 'Section', 'Step',
]);

type Start = 'upper' | 'lower' | 'digit' | 'other';

export function splitSentences(text: string): SentenceSplit {
  const words: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(/\S+/g)) words.push({ start: m.index, end: m.index + m[0].length });
  const first = words[0];
  if (first === undefined) return { leading: text, spans: [] };

  const spans: SentenceSpan[] = [];
  let sentenceFirst = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1]!;
    const gap = text.slice(word.end, next.start);
    const ends =
      /\n[^\S\n]*\n/.test(gap) ||
      (gap.includes('\n') && isListMarker(text.slice(next.start, next.end))) ||
      endsSentence(text.slice(word.start, word.end), text.slice(next.start, next.end), {
        position: i - sentenceFirst,
        previous: i > sentenceFirst ? text.slice(words[i - 1]!.start, words[i - 1]!.end) : undefined,
      });
    if (ends) {
      spans.push({ text: text.slice(words[sentenceFirst]!.start, word.end), trailing: gap });
      sentenceFirst = i + 1;
    }
  }
  const last = words[words.length - 1]!;
  spans.push({ text: text.slice(words[sentenceFirst]!.start, last.end), trailing: text.slice(last.end) });
  return { leading: text.slice(0, first.start), spans };
}

/** "-", "•", "1.", "2)", "a." at the start of a line begin a new list item. */
function isListMarker(word: string): boolean {
  return /^(?:[-•*·▪‣◦]|\p{N}{1,3}[.)]|[a-z][.)])$/u.test(word);
}

interface Context {
  /** Index of the word within its sentence (0 = first word). */
  readonly position: number;
  readonly previous: string | undefined;
}

/** Whether a sentence ends after `word` when `next` follows it (whitespace between them). */
function endsSentence(word: string, next: string, ctx: Context): boolean {
  // Scan from the end by hand: a regex anchored at the end backtracks quadratically on long runs.
  let j = word.length;
  while (j > 0 && CLOSERS.has(word[j - 1]!)) j--;
  const closersStart = j;
  while (j > 0 && TERMINATORS.has(word[j - 1]!)) j--;
  const punct = word.slice(j, closersStart);
  if (punct === '') return false;
  const core = word.slice(0, j);
  const hasClosers = closersStart < word.length;
  const start = startOf(next);

  if (hasClosers && start === 'lower') return false;
  if (/[!?‼⁇⁈⁉]/.test(punct)) return true;
  if (punct.includes('…') || punct.length >= 3) return start === 'upper';
  // A full stop (or a doubled one, a typo).
  if (hasClosers || core === '' || CLOSERS.has(core[core.length - 1]!)) return true;
  const bare = stripOpeners(core);
  if (bare === '') return true;
  const kind = abbreviationKind(`${bare}.`);
  if (kind === 'title') return false;
  if (kind === undefined && isInitials(bare)) return false;
  if (kind === 'final' || isDottedShort(bare)) return start === 'upper' && !isAbbreviationWord(next);
  if (isListNumber(bare, ctx)) return false;
  if (/^[a-z]{1,5}$/.test(bare) && !/[aeiou]/.test(bare)) return start === 'upper'; // kg., cm., jln.: unit or abbreviation
  return true;
}

function isListNumber(bare: string, ctx: Context): boolean {
  const numbering =
    /^\p{N}+(?:[.,]\p{N}+)*$/u.test(bare) || /^[IVXLC]+$/.test(bare) || /^[a-z]$/.test(bare);
  if (!numbering) return false;
  if (ctx.position === 0) return true;
  if (ctx.previous === undefined) return false;
  if (ctx.previous.endsWith(':')) return true;
  return ctx.position === 1 && NUMBER_LABELS.has(ctx.previous);
}

/** "J.K", "H", "A.S": capital initials (given without the final full stop). */
function isInitials(bare: string): boolean {
  return /^(?:\p{Lu}\.)*\p{Lu}$/u.test(bare);
}

/** "a.k.a", "e.g": short letter groups joined by full stops. */
function isDottedShort(bare: string): boolean {
  return /^(?:\p{L}{1,3}\.)+\p{L}{1,3}$/u.test(bare);
}

/** Whether a word is itself an abbreviation or initials ("M.H.", "J.", "dkk.,"). */
function isAbbreviationWord(word: string): boolean {
  const w = stripOpeners(word).replace(/[,;:]+$/, '');
  if (!w.endsWith('.')) return false;
  const bare = w.slice(0, -1);
  return abbreviationKind(w) !== undefined || isInitials(bare) || isDottedShort(bare);
}

function stripOpeners(word: string): string {
  let i = 0;
  while (i < word.length && OPENERS.has(word[i]!)) i++;
  return word.slice(i);
}

/** What the first letter-like character of a word is, after any opening quotes or brackets. */
function startOf(word: string): Start {
  const rest = stripOpeners(word);
  const cp = rest.codePointAt(0);
  if (cp === undefined) return 'other';
  const ch = String.fromCodePoint(cp);
  if (/[\p{Lu}\p{Lt}]/u.test(ch)) return 'upper';
  if (/\p{Ll}/u.test(ch)) return 'lower';
  if (/\p{N}/u.test(ch)) return 'digit';
  // Letters of scripts without case start a sentence as a capital would.
  if (/\p{L}/u.test(ch)) return 'upper';
  return 'other';
}
