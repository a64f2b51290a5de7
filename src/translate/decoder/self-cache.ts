/**
 * The self-attention cache of a batch being decoded: one more position per step, rows dropped when
 * their sentence is done and reordered to follow the beams. Two forms, after the decoder graph:
 *
 * - {@link PresentCache}, for the decoder as published: each step returns the whole cache
 *   (`present.*.decoder.*`) and the next step takes it back as `past_key_values.*.decoder.*`.
 *   onnxruntime-node copies every output into a fresh buffer, so the whole cache is copied out of
 *   ONNX Runtime on every step.
 * - {@link OwnedCache}, for the decoder whose cache is kept outside (cache-graph.ts): buffers of a
 *   capacity that grows by doubling, fed to ONNX Runtime without a copy; a step returns only its
 *   new position (`dwb_new.*`), which is written into the buffers here.
 *
 * Both give the decoder the same past values, so the steps compute the same numbers.
 */
import { CACHE, presentName } from './cache-graph.js';
import { gatherRows, ortTensor, reorderRowsInPlace, type OrtTensor, type RowScratch } from './tensors.js';

export interface SelfCache {
  /** Rows in the cache (the batch rows of the next step). */
  readonly rows: number;
  /** Positions held per row. */
  readonly length: number;
  /** Decoder inputs that carry the cache into the next step. */
  feeds(): Record<string, OrtTensor>;
  /** Decoder outputs that {@link advance} reads. */
  readonly outputs: readonly string[];
  /** Adds a step's position from its outputs (those named by {@link outputs}). */
  advance(out: Readonly<Record<string, OrtTensor>>): void;
  /** Row i becomes the former row `rows[i]` (rows may be dropped, repeated or reordered). */
  select(rows: readonly number[], scratch: RowScratch): void;
}

export interface CacheShape {
  /** `past_key_values.<i>.decoder.<key|value>` input names. */
  readonly names: readonly string[];
  readonly heads: number;
  readonly headDim: number;
}

export class PresentCache implements SelfCache {
  readonly outputs: readonly string[];
  private tensors = new Map<string, OrtTensor>();

  constructor(
    private readonly shape: CacheShape,
    public rows: number,
  ) {
    this.outputs = shape.names.map(presentName);
    for (const name of shape.names) this.tensors.set(name, ortTensor('float32', new Float32Array(0), [rows, shape.heads, 0, shape.headDim]));
  }

  get length(): number {
    return this.tensors.get(this.shape.names[0]!)?.dims[2] ?? 0;
  }

  feeds(): Record<string, OrtTensor> {
    return Object.fromEntries(this.tensors);
  }

  advance(out: Readonly<Record<string, OrtTensor>>): void {
    for (const name of this.shape.names) this.tensors.set(name, out[presentName(name)]!);
  }

  select(rows: readonly number[], scratch: RowScratch): void {
    // The tensors came out of the decoder (or are empty), so nothing else holds them: in place.
    for (const [name, t] of this.tensors) this.tensors.set(name, reorderRowsInPlace(t, rows, scratch));
    this.rows = rows.length;
  }
}

export class OwnedCache implements SelfCache {
  readonly outputs: readonly string[];
  /** [rows, heads, capacity, head_dim] per input name; may be longer than the rows in use. */
  private buffers = new Map<string, Float32Array>();
  private capacity: number;
  length = 0;

  /** `maxLength`: the most positions any row can reach (its output limit); the capacity never exceeds it. */
  constructor(
    private readonly shape: CacheShape,
    public rows: number,
    private readonly maxLength: number,
    initialCapacity = 16,
  ) {
    this.outputs = shape.names.map((n) => CACHE.newEntry(presentName(n)));
    this.capacity = Math.max(1, Math.min(maxLength, initialCapacity));
    for (const name of shape.names) this.buffers.set(name, new Float32Array(rows * this.rowSize()));
  }

  private rowSize(capacity = this.capacity): number {
    return this.shape.heads * capacity * this.shape.headDim;
  }

  feeds(): Record<string, OrtTensor> {
    const dims = [this.rows, this.shape.heads, this.capacity, this.shape.headDim];
    const feeds: Record<string, OrtTensor> = { [CACHE.pastLength]: ortTensor('int64', BigInt64Array.of(BigInt(this.length)), [1]) };
    for (const [name, buf] of this.buffers) feeds[CACHE.buffer(name)] = ortTensor('float32', buf.subarray(0, this.rows * this.rowSize()), dims);
    return feeds;
  }

  advance(out: Readonly<Record<string, OrtTensor>>): void {
    if (this.length >= this.capacity) this.grow();
    const { heads, headDim } = this.shape;
    const blocks = this.rows * heads;
    for (const name of this.shape.names) {
      const entry = out[CACHE.newEntry(presentName(name))]!;
      const src = entry.data as Float32Array;
      if (src.length !== blocks * headDim) throw new RangeError(`${CACHE.newEntry(presentName(name))} has ${src.length} values, expected ${blocks * headDim}`);
      const buf = this.buffers.get(name)!;
      // Block b = (row, head): its positions are consecutive, head_dim values each. A plain loop:
      // a subarray per block would allocate thousands of views per step.
      for (let b = 0; b < blocks; b++) {
        const from = b * headDim;
        const to = (b * this.capacity + this.length) * headDim;
        for (let j = 0; j < headDim; j++) buf[to + j] = src[from + j]!;
      }
    }
    this.length++;
  }

  select(rows: readonly number[], scratch: RowScratch): void {
    const dims = [this.rows, this.shape.heads, this.capacity, this.shape.headDim];
    const size = this.rowSize();
    for (const [name, buf] of this.buffers) {
      const view = ortTensor('float32', buf.subarray(0, this.rows * size), dims);
      // In place while the rows fit; a sentence's first step growing into its beams needs more.
      // Only the positions in use: the capacity beyond them is never read.
      const layout = { blocks: this.shape.heads, stride: this.capacity * this.shape.headDim, used: this.length * this.shape.headDim };
      const moved = rows.length <= this.rows ? reorderRowsInPlace(view, rows, scratch, layout) : gatherRows(view, rows);
      const data = moved.data as Float32Array;
      this.buffers.set(name, data.buffer === buf.buffer ? buf : data);
    }
    this.rows = rows.length;
  }

  /** Doubles the capacity (at most maxLength), moving each (row, head) block's positions. */
  private grow(): void {
    const next = Math.min(this.maxLength, this.capacity * 2);
    if (next <= this.capacity) throw new RangeError(`the self-attention cache is full at its limit of ${this.maxLength} positions`);
    const { heads, headDim } = this.shape;
    const blocks = this.rows * heads;
    const used = this.length * headDim;
    for (const [name, buf] of this.buffers) {
      const bigger = new Float32Array(this.rows * this.rowSize(next));
      for (let b = 0; b < blocks; b++) bigger.set(buf.subarray(b * this.capacity * headDim, b * this.capacity * headDim + used), b * next * headDim);
      this.buffers.set(name, bigger);
    }
    this.capacity = next;
  }
}
