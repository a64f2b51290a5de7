/**
 * A synthetic SentencePiece-style Unigram tokenizer in the shape of the Xenova opus-mt exports:
 * tokenizer.json (Precompiled normalizer, Metaspace pre-tokenizer and decoder, "</s>" appended by a
 * TemplateProcessing post-processor) and tokenizer_config.json for MarianTokenizer.
 */
import { ENGLISH_WORDS, INDONESIAN_AFFIXES, INDONESIAN_WORDS } from './wordlists.js';

export const EOS_TOKEN = '</s>';
export const UNK_TOKEN = '<unk>';
export const PAD_TOKEN = '<pad>';
export const EOS_ID = 0;
export const UNK_ID = 1;
const SPACE = '\u2581';

/** The smallest vocabulary that still has "</s>", "<unk>", one ordinary piece and "<pad>". */
export const MIN_VOCAB_SIZE = 4;

const LOWER_BY_FREQUENCY = 'aneitrkusmdlgpbohyjcwfvzxq';
const DIGITS = '0123456789';
const PUNCTUATION = `.,-:;()"'/?!%&@#*+=[]{}<>_~$|\\^\``;
const EXTRA_CHARS = '\u201c\u201d\u2018\u2019\u2013\u2014\u2022\u00b0\u00e9\u00e8\u00e0\u00e1\u00e2\u00ea\u00ed\u00f3\u00f6\u00fc\u00e7\u00f1\u00ab\u00bb\u00a9\u20ac';

/** Rough relative frequencies in Indonesian text; only their order and ratios matter. */
const ONSETS: Readonly<Record<string, number>> = {
  '': 9, k: 10, m: 10, s: 9, t: 9, b: 8, d: 8, p: 8, l: 7, r: 7, n: 7, g: 6, h: 6, j: 5, ng: 5, c: 4, w: 4,
  y: 4, ny: 4, f: 2, v: 1, z: 1, kh: 1, sy: 1, tr: 1, pr: 1, br: 1, kr: 1, gr: 1, st: 1, pl: 1, bl: 1, kl: 1,
};
const NUCLEI: Readonly<Record<string, number>> = { a: 10, e: 7, i: 7, u: 6, o: 4, ai: 2, au: 1 };
const CODAS: Readonly<Record<string, number>> = { '': 12, n: 8, ng: 6, r: 5, k: 5, t: 5, s: 4, l: 4, h: 4, m: 3, p: 2 };

interface Weighted {
  readonly text: string;
  readonly weight: number;
}

function byWeight(a: Weighted, b: Weighted): number {
  return b.weight - a.weight || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
}

/** Every onset-nucleus-coda syllable, most frequent first. */
function syllables(): Weighted[] {
  const out: Weighted[] = [];
  for (const [o, wo] of Object.entries(ONSETS)) {
    for (const [n, wn] of Object.entries(NUCLEI)) {
      for (const [c, wc] of Object.entries(CODAS)) out.push({ text: o + n + c, weight: wo * wn * wc });
    }
  }
  return out.sort(byWeight);
}

/** The most frequent two-syllable pieces (word stems like "bahas", "kirim", "tegas"). */
function bisyllables(syl: readonly Weighted[], limit: number): Weighted[] {
  // Only the top syllables can reach the top pairs, which keeps this far below all pairs.
  const top = syl.slice(0, Math.ceil(Math.sqrt(limit * 8)));
  const out: Weighted[] = [];
  for (const a of top) for (const b of top) out.push({ text: a.text + b.text, weight: a.weight * b.weight });
  return out.sort(byWeight).slice(0, limit);
}

function words(list: string): string[] {
  return list.split(/\s+/).filter((w) => w.length > 0);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Every ordinary piece in priority order (duplicates allowed; removed by the caller). */
function* candidatePieces(need: number): Generator<string> {
  yield SPACE;
  for (const ch of LOWER_BY_FREQUENCY) yield ch;
  for (const ch of LOWER_BY_FREQUENCY) yield SPACE + ch;
  for (const ch of LOWER_BY_FREQUENCY.toUpperCase()) yield ch;
  for (const ch of DIGITS + PUNCTUATION) yield ch;
  for (const ch of LOWER_BY_FREQUENCY.toUpperCase()) yield SPACE + ch;
  for (const ch of DIGITS + PUNCTUATION) yield SPACE + ch;
  for (const ch of EXTRA_CHARS) yield ch;
  for (const a of words(INDONESIAN_AFFIXES)) yield a;
  for (const w of words(INDONESIAN_WORDS)) yield SPACE + w;
  for (const w of words(ENGLISH_WORDS)) yield SPACE + w;
  for (const w of words(INDONESIAN_WORDS)) yield SPACE + capitalize(w);
  const syl = syllables();
  for (const { text } of syl) {
    yield text;
    yield SPACE + text;
  }
  for (const { text } of syl) yield SPACE + capitalize(text);
  // Stems, word-initial and inside words, then capitalized (names, sentence starts). Enough are
  // made for any vocabulary size; the caller stops at the size it needs.
  const stems = bisyllables(syl, Math.ceil(need / 3));
  for (const { text } of stems) {
    yield SPACE + text;
    yield text;
    yield SPACE + capitalize(text);
  }
}

/** Pieces for ids 0..vocabSize-1: "</s>", "<unk>", ordinary pieces, "<pad>" last. */
export function buildVocabulary(vocabSize: number): string[] {
  if (!Number.isInteger(vocabSize) || vocabSize < MIN_VOCAB_SIZE) {
    throw new RangeError(`vocab size must be an integer >= ${MIN_VOCAB_SIZE}, got ${vocabSize}`);
  }
  const pieces = [EOS_TOKEN, UNK_TOKEN];
  const seen = new Set(pieces);
  for (const p of candidatePieces(vocabSize)) {
    if (pieces.length === vocabSize - 1) break;
    if (seen.has(p)) continue;
    seen.add(p);
    pieces.push(p);
  }
  if (pieces.length !== vocabSize - 1) {
    throw new RangeError(`vocab size ${vocabSize} exceeds the ${pieces.length + 1} pieces this generator can make`);
  }
  pieces.push(PAD_TOKEN);
  return pieces;
}

/**
 * Zipf-like log-probabilities by rank, minus a per-piece cost that dominates the rank term: Viterbi
 * then prefers the fewest pieces (a syllable over its letters, a word over its syllables), as a
 * trained SentencePiece model does on text like its training data.
 */
function pieceScore(rank: number): number {
  return -(10 + Math.log(rank + 10));
}

export interface TokenizerFiles {
  readonly tokenizerJson: Record<string, unknown>;
  readonly tokenizerConfigJson: Record<string, unknown>;
}

export function buildTokenizerFiles(vocab: readonly string[]): TokenizerFiles {
  const padId = vocab.length - 1;
  const special = (id: number, content: string): Record<string, unknown> => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const metaspace = { type: 'Metaspace', replacement: SPACE, prepend_scheme: 'always', split: true };
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(EOS_ID, EOS_TOKEN), special(UNK_ID, UNK_TOKEN), special(padId, PAD_TOKEN)],
    // transformers.js implements Precompiled as control-character removal, whitespace mapping and
    // NFKC whatever the charsmap holds, so the real exports' normalizer type is kept with an empty map.
    normalizer: { type: 'Precompiled', precompiled_charsmap: '' },
    pre_tokenizer: metaspace,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: EOS_TOKEN, type_id: 0 } }],
      pair: [
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: EOS_TOKEN, type_id: 0 } },
      ],
      special_tokens: { [EOS_TOKEN]: { id: EOS_TOKEN, ids: [EOS_ID], tokens: [EOS_TOKEN] } },
    },
    decoder: metaspace,
    model: {
      type: 'Unigram',
      unk_id: UNK_ID,
      vocab: vocab.map((p, i) => [p, i === EOS_ID || i === UNK_ID || i === padId ? 0 : pieceScore(i)]),
      byte_fallback: false,
    },
  };
  const tokenizerConfigJson = {
    tokenizer_class: 'MarianTokenizer',
    model_max_length: 512,
    eos_token: EOS_TOKEN,
    unk_token: UNK_TOKEN,
    pad_token: PAD_TOKEN,
    source_lang: 'id',
    target_lang: 'en',
    separate_vocabs: false,
    sp_model_kwargs: {},
    clean_up_tokenization_spaces: true,
    added_tokens_decoder: Object.fromEntries(
      [special(EOS_ID, EOS_TOKEN), special(UNK_ID, UNK_TOKEN), special(padId, PAD_TOKEN)].map(({ id, ...rest }) => [String(id), rest]),
    ),
  };
  return { tokenizerJson, tokenizerConfigJson };
}
