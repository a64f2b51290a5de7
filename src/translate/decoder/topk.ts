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
   * as HF's float32 tensors round them) at flat index `offset + v`, for every v; -Infinity is skipped.
   */
  scan(row: Float32Array, base: number, logZ: number, offset: number): void {
    const k = this.k;
    for (let v = 0; v < row.length; v++) {
      const s = Math.fround(base + Math.fround(row[v]! - logZ));
      if (this.count === k && !(s >= this.scores[k - 1]!)) continue;
      if (s === -Infinity || Number.isNaN(s)) continue;
      this.offer(s, offset + v);
    }
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
