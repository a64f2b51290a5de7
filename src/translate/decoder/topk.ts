/**
 * The k best (score, flat index) pairs over a stream of rows, best first; equal scores keep the lower
 * flat index first. One pass per row; once full, most entries
 * cost one compare against the current k-th score.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly indices: Int32Array;
  private count = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.indices = new Int32Array(k);
  }

  reset(): void {
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  score(rank: number): number {
    return this.scores[rank]!;
  }

  index(rank: number): number {
    return this.indices[rank]!;
  }

  /**
   * Offers `float32(base + float32(row[v] - logZ))` (a log-probability plus the beam's score, rounded
   * as HF's float32 tensors round them) at flat index `offset + v`, for every v; -Infinity is skipped,
   * and so is every v of a row whose `logZ` is NaN.
   *
   * Once k entries are kept, a raw value below `cut` cannot reach the k-th score (the score is
   * monotonic in the raw value; the margin covers both float32 roundings), so most entries cost one
   * comparison and no arithmetic. Anything at or above the cut is scored exactly, as before.
   */
  scan(row: Float32Array, base: number, logZ: number, offset: number): void {
    const k = this.k;
    let cut = this.count === k ? this.cut(base, logZ) : -Infinity;
    for (let v = 0; v < row.length; v++) {
      const x = row[v]!;
      if (!(x >= cut)) continue;
      const s = Math.fround(base + Math.fround(x - logZ));
      if (s === -Infinity || Number.isNaN(s)) continue;
      if (this.count === k && !(s >= this.scores[k - 1]!)) continue;
      this.offer(s, offset + v);
      if (this.count === k) cut = this.cut(base, logZ);
    }
  }

  /** The lowest raw value whose score could still reach the k-th kept score (NaN if logZ is NaN). */
  private cut(base: number, logZ: number): number {
    const kth = this.scores[this.k - 1]!;
    // Each float32 rounding moves a value by at most 2^-24 of its size; 1e-6 is ~8 times that.
    const margin = (Math.abs(kth) + Math.abs(base) + Math.abs(logZ) + 1) * 1e-6;
    return kth - base + logZ - margin;
  }

  /** One candidate; of equal scores the lower index ranks first, whatever the order of offers. */
  offer(s: number, index: number): void {
    const k = this.k;
    if (this.count === k) {
      const last = this.scores[k - 1]!;
      if (s < last || (s === last && index > this.indices[k - 1]!)) return;
    }
    let pos = this.count < k ? this.count : k - 1;
    while (pos > 0 && (this.scores[pos - 1]! < s || (this.scores[pos - 1] === s && this.indices[pos - 1]! > index))) {
      this.scores[pos] = this.scores[pos - 1]!;
      this.indices[pos] = this.indices[pos - 1]!;
      pos--;
    }
    this.scores[pos] = s;
    this.indices[pos] = index;
    if (this.count < k) this.count++;
  }
}
