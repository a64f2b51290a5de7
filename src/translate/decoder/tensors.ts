/**
 * The CPU tensors the decoding loops pass to ONNX Runtime, and the row moves between steps: a
 * batch's rows are dropped when their sentence is done and follow the beams they continue.
 */
import { Tensor } from 'onnxruntime-node';
import { ModelError } from '../../errors.js';

/** The part of an onnxruntime Tensor the loops use (CPU tensors only). */
export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** A CPU tensor over `data` (not copied). */
export function ortTensor(type: 'int64' | 'float32' | 'bool', data: BigInt64Array | Float32Array | Uint8Array | boolean[], dims: readonly number[]): OrtTensor {
  // The boolean[] overload and the typed arrays are separate signatures of the constructor.
  return new Tensor(type, data as never, dims);
}

/** An int64 [rows.length, width] tensor of the rows right-padded with `pad`, and its attention mask. */
export function paddedBatch(rows: readonly (readonly number[])[], pad: number): { ids: OrtTensor; mask: OrtTensor } {
  const width = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * width).fill(BigInt(pad));
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((row, r) => {
    row.forEach((id, c) => {
      ids[r * width + c] = BigInt(id);
      mask[r * width + c] = 1n;
    });
  });
  return { ids: ortTensor('int64', ids, [rows.length, width]), mask: ortTensor('int64', mask, [rows.length, width]) };
}

export function floatData(t: OrtTensor, what: string): Float32Array {
  if (!(t.data instanceof Float32Array)) {
    throw new ModelError(`the decoder's ${what} is ${t.type}, expected float32; use an fp32 or q8 Marian export`, '(loaded model)');
  }
  return t.data;
}

/** Copies rows `rows` (in that order) of a tensor whose first dimension is the batch. */
export function gatherRows(t: OrtTensor, rows: readonly number[]): OrtTensor {
  const n = t.dims[0] ?? 0;
  if (rows.length === n && rows.every((r, i) => r === i)) return t;
  const rowSize = n === 0 ? 0 : (t.data as Float32Array | BigInt64Array).length / n;
  const dims = [rows.length, ...t.dims.slice(1)];
  if (t.data instanceof Float32Array) {
    const src = t.data;
    const out = new Float32Array(rows.length * rowSize);
    rows.forEach((r, i) => out.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
    return ortTensor('float32', out, dims);
  }
  if (t.data instanceof BigInt64Array) {
    const src = t.data;
    const out = new BigInt64Array(rows.length * rowSize);
    rows.forEach((r, i) => out.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
    return ortTensor('int64', out, dims);
  }
  throw new ModelError(`cannot reorder a ${t.type} tensor between decoding steps`, '(loaded model)');
}

/**
 * Row `i` of the result is row `rows[i]` of `t`, written over `t`'s own buffer: the tensor must be
 * one that nothing else holds (a decoder output, or an earlier result of this function). The cache
 * is the bulk of a step's memory traffic; fresh copies of it every step made the garbage collector
 * a tenth of beam time. A row is overwritten only once every row that reads it has been written, so
 * each moved row is copied once; only a cycle (rows swapping places) goes through `scratch`, one row
 * per cycle. More rows than `t` has (a sentence's first step growing into its beams) need a new buffer.
 */
export function reorderRowsInPlace(t: OrtTensor, rows: readonly number[], scratch: RowScratch, layout?: RowLayout): OrtTensor {
  const n = t.dims[0] ?? 0;
  const m = rows.length;
  if (!(t.data instanceof Float32Array) || m > n || n === 0) return gatherRows(t, rows);
  for (const r of rows) if (!Number.isInteger(r) || r < 0 || r >= n) throw new RangeError(`reorderRowsInPlace: row ${r} of a ${n}-row tensor`);
  const data = t.data;
  const size = data.length / n;
  const { blocks, stride, used } = layout ?? { blocks: 1, stride: size, used: size };
  if (blocks * stride !== size || used > stride) throw new RangeError(`reorderRowsInPlace: ${blocks} blocks of ${stride} do not make a row of ${size}`);
  const move = (to: number, from: number): void => {
    for (let b = 0; b < blocks; b++) data.copyWithin(to * size + b * stride, from * size + b * stride, from * size + b * stride + used);
  };
  // readers[r]: destinations not yet written that still need the current content of row r.
  const readers = new Int32Array(n);
  const pending = new Uint8Array(m);
  let left = 0;
  for (let i = 0; i < m; i++) {
    if (rows[i] === i) continue;
    pending[i] = 1;
    readers[rows[i]!] = readers[rows[i]!]! + 1;
    left++;
  }
  const ready: number[] = [];
  for (let i = 0; i < m; i++) if (pending[i] && readers[i] === 0) ready.push(i);
  let saved = -1;
  let buf: Float32Array | undefined;
  while (left > 0) {
    while (ready.length > 0) {
      const i = ready.pop()!;
      const src = rows[i]!;
      if (src === saved) for (let b = 0; b < blocks; b++) data.set(buf!.subarray(b * used, (b + 1) * used), i * size + b * stride);
      else move(i, src);
      pending[i] = 0;
      left--;
      if (--readers[src]! === 0 && src < m && pending[src]) ready.push(src);
    }
    if (left === 0) break;
    // What is left are cycles: save one row of one, after which the cycle unwinds as above.
    let i = 0;
    while (!pending[i]) i++;
    buf = scratch.get(blocks * used);
    for (let b = 0; b < blocks; b++) buf.set(data.subarray(i * size + b * stride, i * size + b * stride + used), b * used);
    saved = i;
    readers[i] = 0;
    ready.push(i);
  }
  if (m === n) return t;
  return ortTensor('float32', new Float32Array(data.buffer, data.byteOffset, m * size), [m, ...t.dims.slice(1)]);
}

/**
 * Which values of a row {@link reorderRowsInPlace} moves: the first `used` of each of `blocks`
 * blocks of `stride` values (a cache row is heads × capacity × head_dim, of which the positions in
 * use are a prefix of each head's block). The rest of a moved row is left as it was.
 */
export interface RowLayout {
  readonly blocks: number;
  readonly stride: number;
  readonly used: number;
}

/** A reusable float buffer for {@link reorderRowsInPlace}; grows, never shrinks. */
export class RowScratch {
  private buf = new Float32Array(0);

  get(size: number): Float32Array {
    if (this.buf.length < size) this.buf = new Float32Array(Math.ceil(size * 1.5));
    return this.buf;
  }
}

/** Past key/value tensors by decoder input name (`past_key_values.<layer>.<decoder|encoder>.<key|value>`). */
export type KvCache = Map<string, OrtTensor>;

/**
 * The cache with the entries `names` reordered to `rows`. With `scratch`, in place (see
 * {@link reorderRowsInPlace}): only for caches whose tensors came out of the decoder.
 */
export function gatherCache(cache: KvCache, rows: readonly number[], names: readonly string[], scratch?: RowScratch): KvCache {
  const out: KvCache = new Map(cache);
  for (const name of names) {
    const t = cache.get(name)!;
    out.set(name, scratch ? reorderRowsInPlace(t, rows, scratch) : gatherRows(t, rows));
  }
  return out;
}
