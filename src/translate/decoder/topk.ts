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
   * Offers `base + row[v]` for every v, rounded to float32 as HF's float32 score tensors are, at flat
   * index `offset + v`. Rows must be offered in increasing offset order for the tie rule to hold.
   */
  scan(row: Float32Array, base: number, offset: number): void {
    const k = this.k;
    for (let v = 0; v < row.length; v++) {
      const s = Math.fround(base + row[v]!);
      if (s === -Infinity || Number.isNaN(s)) continue;
      if (this.count === k && !(s > this.scores[k - 1]!)) continue;
      this.insert(s, offset + v);
    }
  }

  private insert(s: number, index: number): void {
    let pos = this.count < this.k ? this.count : this.k - 1;
    // Shift down the entries this one beats; an equal score arrived earlier, so it stays ahead.
    while (pos > 0 && this.scores[pos - 1]! < s) {
      this.scores[pos] = this.scores[pos - 1]!;
      this.indices[pos] = this.indices[pos - 1]!;
      pos--;
    }
    this.scores[pos] = s;
    this.indices[pos] = index;
    if (this.count < this.k) this.count++;
  }
}
