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

const ONSETS = ['b', 'd', 'k', 'm', 'n', 'p', 's', 't', 'l', 'r', 'g', 'h', 'j', 'c', 'w', 'y', 'ng', 'ny', 'f', 'v', 'z', 'kh', 'sy', 'tr', 'pr', 'br', 'kr', 'gr', 'st', 'pl', 'bl', 'kl'];
const NUCLEI = ['a', 'e', 'i', 'u', 'o', 'ai', 'au'];
const CODAS = ['n', 'ng', 'r', 'k', 't', 's', 'l', 'm', 'h', 'p'];

function words(list: string): string[] {
  return list.split(/\s+/).filter((w) => w.length > 0);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Syllables from simple to rare: open CV first, then closed CVC, then vowel-initial ones. */
function syllables(): string[] {
  const out: string[] = [];
  for (const o of ONSETS) for (const n of NUCLEI) out.push(o + n);
  for (const o of ONSETS) for (const n of NUCLEI) for (const c of CODAS) out.push(o + n + c);
  for (const n of NUCLEI) {
    out.push(n);
    for (const c of CODAS) out.push(n + c);
  }
  return out;
}

/** Every ordinary piece in priority order (duplicates allowed; removed by the caller). */
function* candidatePieces(): Generator<string> {
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
  for (const s of syl) {
    yield s;
    yield SPACE + s;
  }
  for (const s of syl) yield SPACE + capitalize(s);
  // Two-syllable pieces, walking anti-diagonals so the most common combinations come first; there
  // are far more than any vocabulary needs.
  for (let sum = 0; sum < 2 * syl.length; sum++) {
    for (let i = Math.max(0, sum - syl.length + 1); i <= Math.min(sum, syl.length - 1); i++) {
      const piece = (syl[i] as string) + (syl[sum - i] as string);
      yield piece;
      yield SPACE + piece;
    }
  }
}

/** Pieces for ids 0..vocabSize-1: "</s>", "<unk>", ordinary pieces, "<pad>" last. */
export function buildVocabulary(vocabSize: number): string[] {
  if (!Number.isInteger(vocabSize) || vocabSize < MIN_VOCAB_SIZE) {
    throw new RangeError(`vocab size must be an integer >= ${MIN_VOCAB_SIZE}, got ${vocabSize}`);
  }
  const pieces = [EOS_TOKEN, UNK_TOKEN];
  const seen = new Set(pieces);
  for (const p of candidatePieces()) {
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
 * Zipf-like log-probabilities by rank. Multi-character pieces come after single characters, so a
 * word found whole scores better than its characters or syllables, as in a trained model.
 */
function pieceScore(rank: number): number {
  return -Math.log(rank + 10);
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
