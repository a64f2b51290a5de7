/**
 * The loops' processors (logits.ts) applied to a fused step's top-k candidates instead of the full
 * logits, with the same float32 arithmetic, and the check that the candidates were enough.
 *
 * Why k candidates decide exactly: with a repetition penalty ≥ 1 and bans, a processor only ever
 * lowers a token's score. Asking for k = (what the search keeps) + (tokens the processors change in
 * the row) + a margin therefore fetches more unchanged candidates than the search keeps, and every
 * token not fetched scores at most what the k-th candidate scores (its raw logit is no higher, and
 * processing lowers it). A step is decided when that bound is strictly below the last score the
 * search keeps; otherwise (equal scores at the boundary, or all candidates banned) the loop runs the
 * step again with full logits. A penalty below 1 raises scores, so it always takes the full path.
 */
import { badWordTokens, bannedNgramTokens, type ProcessorSettings } from './logits.js';
import type { MarianSessions, Selection } from './session.js';
import type { TopK } from './topk.js';

/** How a loop's steps select: full logits (the decoder as published), the graph's best token (TopK with k = 1), or its top-k. */
export type Plan = 'logits' | 'argmax' | 'topk';

/** Extra candidates per row beyond the ones needed: makes an undecided step (equal scores) rarer. */
const MARGIN = 2;

/** `settings.badWordsIds` must be the spec's (all of them): the plan takes the graph's mask into account. */
export function selectionPlan(sessions: MarianSessions, settings: ProcessorSettings, greedy: boolean): Plan {
  if (!sessions.fused || settings.repetitionPenalty < 1) return 'logits';
  const noProcessors = settings.repetitionPenalty === 1 && settings.noRepeatNgramSize === 0 && sessions.jsBadWordsIds.length === 0;
  return greedy && noProcessors ? 'argmax' : 'topk';
}

export interface RowChanges {
  /** Tokens whose score the repetition penalty changes (the history's distinct tokens); empty when off. */
  readonly repeated: ReadonlySet<number>;
  /** Tokens banned this step: n-gram repeats and the bad words the graph does not mask. */
  readonly banned: ReadonlySet<number>;
}

const NONE: ReadonlySet<number> = new Set();

/** `settings.badWordsIds`: only the ones not masked in the graph (MarianSessions.jsBadWordsIds). */
export function rowChanges(history: readonly number[], settings: ProcessorSettings): RowChanges {
  const repeated = settings.repetitionPenalty !== 1 ? new Set(history) : NONE;
  const banned = new Set<number>();
  if (settings.noRepeatNgramSize > 0) for (const t of bannedNgramTokens(history, settings.noRepeatNgramSize)) banned.add(t);
  for (const t of badWordTokens(history, settings.badWordsIds)) banned.add(t);
  return { repeated, banned };
}

/** The top-k selection for a step whose rows keep `keep` candidates each, at most the vocabulary. */
export function topkSelection(keep: number, changes: readonly RowChanges[], vocab: number, normaliser: boolean): Selection {
  let most = 0;
  for (const c of changes) most = Math.max(most, c.repeated.size + c.banned.size);
  return { kind: 'topk', k: Math.min(vocab, keep + most + MARGIN), normaliser };
}

/**
 * Greedy's token for row `row` of a top-k step: processRow then argmax over its candidates (equal
 * scores: the lower id, as argmax). -1 when the candidates do not decide it (see the module comment).
 */
export function greedyFromTop(values: Float32Array, indices: BigInt64Array, row: number, k: number, complete: boolean, c: RowChanges, penalty: number): number {
  let best = -Infinity;
  let bestToken = -1;
  for (let j = row * k; j < (row + 1) * k; j++) {
    const token = Number(indices[j]);
    let v = values[j]!;
    if (c.banned.has(token)) continue;
    if (c.repeated.has(token)) v = Math.fround(v < 0 ? v * penalty : v / penalty);
    if (v > best || (v === best && bestToken >= 0 && token < bestToken)) {
      best = v;
      bestToken = token;
    }
  }
  if (bestToken < 0 || best === -Infinity) return -1;
  return complete || best > values[(row + 1) * k - 1]! ? bestToken : -1;
}

/**
 * Offers row `row`'s candidates to `topk` as beam search's full-row scan would (float32(base +
 * float32(logit − logZ)), processed where the processors change it), at flat index offset + token.
 * Returns the highest score any token not fetched could have (-Infinity when all were fetched).
 */
export function offerFromTop(
  topk: TopK,
  values: Float32Array,
  indices: BigInt64Array,
  row: number,
  k: number,
  complete: boolean,
  base: number,
  logZ: number,
  c: RowChanges,
  penalty: number,
  offset: number,
): number {
  for (let j = row * k; j < (row + 1) * k; j++) {
    const token = Number(indices[j]);
    if (c.banned.has(token)) continue;
    const x = values[j]!;
    if (c.repeated.has(token)) {
      const lp = Math.fround(x - logZ);
      const processed = Math.fround(lp < 0 ? lp * penalty : lp / penalty);
      if (processed > -Infinity) topk.offer(Math.fround(base + processed), offset + token);
      continue;
    }
    const s = Math.fround(base + Math.fround(x - logZ));
    if (s === -Infinity || Number.isNaN(s)) continue;
    topk.offer(s, offset + token);
  }
  return complete ? -Infinity : Math.fround(base + Math.fround(values[(row + 1) * k - 1]! - logZ));
}

/** True when tokens scoring at most `bound` cannot change what `topk` (capacity k) holds. */
export function decided(topk: TopK, bound: number): boolean {
  if (bound === -Infinity) return true;
  if (Number.isNaN(bound)) return false;
  return topk.size === topk.k && bound < topk.score(topk.k - 1);
}
