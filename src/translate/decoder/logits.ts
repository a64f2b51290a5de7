/**
 * Logits processing shared by the loops, with transformers.js' semantics (generation/logits_process.js):
 * each function changes one row in place, so float32 rounding is the same as the library's. `history`
 * is the row's whole decoder input so far, starting with the decoder start token, as in the library.
 */

/** RepetitionPenaltyLogitsProcessor: divide positive, multiply negative scores of tokens already seen. */
export function applyRepetitionPenalty(row: Float32Array, history: readonly number[], penalty: number): void {
  for (const token of new Set(history)) {
    const v = row[token]!;
    row[token] = v < 0 ? v * penalty : v / penalty;
  }
}

/**
 * NoRepeatNGramLogitsProcessor: the tokens that would complete an n-gram already in `history`.
 * A scan instead of the library's n-gram map: the same set, without building strings per step.
 */
export function bannedNgramTokens(history: readonly number[], n: number): number[] {
  const len = history.length;
  if (n <= 0 || len + 1 < n) return [];
  const banned: number[] = [];
  const prefixStart = len - n + 1;
  for (let j = 0; j + n <= len; j++) {
    let match = true;
    for (let k = 0; k < n - 1; k++) {
      if (history[j + k] !== history[prefixStart + k]) {
        match = false;
        break;
      }
    }
    if (match) banned.push(history[j + n - 1]!);
  }
  return banned;
}

/** NoBadWordsLogitsProcessor: the last token of every sequence whose other tokens end `history`. */
export function badWordTokens(history: readonly number[], badWords: readonly (readonly number[])[]): number[] {
  const banned: number[] = [];
  for (const seq of badWords) {
    if (history.length < seq.length - 1) continue;
    let match = true;
    for (let j = 1; j <= seq.length - 1; j++) {
      if (seq[seq.length - 1 - j] !== history[history.length - j]) {
        match = false;
        break;
      }
    }
    if (match) banned.push(seq[seq.length - 1]!);
  }
  return banned;
}

export interface ProcessorSettings {
  readonly repetitionPenalty: number;
  readonly noRepeatNgramSize: number;
  readonly badWordsIds: readonly (readonly number[])[];
}

/** The processors transformers.js' generate runs for dwibahasa's settings, in its order. */
export function processRow(row: Float32Array, history: readonly number[], s: ProcessorSettings): void {
  if (s.repetitionPenalty !== 1) applyRepetitionPenalty(row, history, s.repetitionPenalty);
  if (s.noRepeatNgramSize > 0) {
    for (const token of bannedNgramTokens(history, s.noRepeatNgramSize)) row[token] = -Infinity;
  }
  for (const token of badWordTokens(history, s.badWordsIds)) row[token] = -Infinity;
}

/**
 * The same processors for beam search, where HF applies them to log-probabilities: the changed
 * log-probability of each affected token (-Infinity = banned), given the row's log-normaliser.
 * Returned instead of written back so that the row keeps its raw logits and the top-k scan can
 * compute log-probabilities on the fly.
 */
export function processedLogprobs(row: Float32Array, logZ: number, history: readonly number[], s: ProcessorSettings): Map<number, number> {
  const out = new Map<number, number>();
  if (s.repetitionPenalty !== 1) {
    for (const token of new Set(history)) {
      const lp = Math.fround(row[token]! - logZ);
      out.set(token, Math.fround(lp < 0 ? lp * s.repetitionPenalty : lp / s.repetitionPenalty));
    }
  }
  if (s.noRepeatNgramSize > 0) {
    for (const token of bannedNgramTokens(history, s.noRepeatNgramSize)) out.set(token, -Infinity);
  }
  for (const token of badWordTokens(history, s.badWordsIds)) out.set(token, -Infinity);
  return out;
}

/** Index of the first maximum, as transformers.js' `max` (strict `>`, so ties keep the lower id). */
export function argmax(row: Float32Array): number {
  let best = row[0]!;
  let index = 0;
  for (let i = 1; i < row.length; i++) {
    const v = row[i]!;
    if (v > best) {
      best = v;
      index = i;
    }
  }
  return index;
}
