/**
 * Forms model calls from pending segments: rows of similar token length go together so that
 * little of each call is padding, within a row limit and a padded-token budget.
 */

export interface PendingSegment {
  readonly text: string;
  readonly tokens: number;
  /** Arrival order; the oldest pending segment is always in the next batch, so no file starves. */
  readonly seq: number;
}

export interface BatchLimits {
  /** Most rows per batch. */
  readonly batchSize: number;
  /** Most padded tokens per batch: rows × longest row. */
  readonly batchTokens: number;
}

/**
 * Take the next batch out of `pool` (mutated: the chosen segments are removed).
 * The batch holds the oldest segment and its nearest neighbours by length.
 */
export function takeBatch(pool: PendingSegment[], limits: BatchLimits): PendingSegment[] {
  if (pool.length === 0) return [];
  const sorted = [...pool].sort((a, b) => a.tokens - b.tokens || a.seq - b.seq);
  let anchor = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.seq < sorted[anchor]!.seq) anchor = i;

  // Grow a window around the anchor, each time taking the neighbour closer in length.
  let lo = anchor;
  let hi = anchor;
  let longest = sorted[anchor]!.tokens;
  const fits = (rows: number, maxLen: number): boolean => rows <= limits.batchSize && rows * maxLen <= limits.batchTokens;
  for (;;) {
    const rows = hi - lo + 1;
    const below = lo > 0 ? sorted[lo - 1]! : undefined;
    const above = hi < sorted.length - 1 ? sorted[hi + 1]! : undefined;
    if (below === undefined && above === undefined) break;
    const gapBelow = below ? sorted[anchor]!.tokens - below.tokens : Infinity;
    const gapAbove = above ? above.tokens - sorted[anchor]!.tokens : Infinity;
    if (gapBelow <= gapAbove && below) {
      if (!fits(rows + 1, longest)) break;
      lo--;
    } else if (above) {
      if (!fits(rows + 1, Math.max(longest, above.tokens))) break;
      hi++;
      longest = Math.max(longest, above.tokens);
    } else break;
  }
  const batch = sorted.slice(lo, hi + 1);
  const chosen = new Set(batch);
  let w = 0;
  for (const item of pool) if (!chosen.has(item)) pool[w++] = item;
  pool.length = w;
  return batch;
}
