/**
 * The merged decoder with its self-attention cache kept by the caller, so that a step hands
 * JavaScript one new position per layer instead of the whole cache. onnxruntime-node copies every
 * output it returns into a fresh buffer; the `present.*.decoder.*` outputs are the whole cache
 * (24.6 KB per row per position for opus-mt), so at 100 positions returning them cost as much as
 * the step's own arithmetic. Here:
 *
 *   dwb_cache.<i>.decoder.<key|value>  [rows, heads, capacity, head_dim]   the caller's buffers
 *   dwb_past_length                    [1]                                 positions in use
 *   past_key_values.<i>.decoder.<kv> = Slice(dwb_cache..., 0 : dwb_past_length, axis 2)
 *   dwb_new.<i>.decoder.<kv>         = present.<i>.decoder.<kv>[:, :, -1:, :]   the step's position
 *
 * The caller writes each new position into its buffers (a few KB per row) and feeds them again:
 * ONNX Runtime reads an input from the caller's memory without a copy. The decoder's own nodes are
 * untouched and see the same past values as before, so every number they compute is the same.
 */
import { int64Bytes, type NodeDef, type TensorData, type ValueInfo } from '../../onnx/build.js';
import type { OnnxModel } from '../../onnx/edit.js';
import { FuseError } from './fused-graph.js';

export const CACHE = {
  pastLength: 'dwb_past_length',
  /** The caller's buffer that replaces input `past_key_values.<i>.decoder.<kv>`. */
  buffer: (past: string): string => past.replace(/^past_key_values\./, 'dwb_cache.'),
  /** The step's new position of `present.<i>.decoder.<kv>`. */
  newEntry: (present: string): string => present.replace(/^present\./, 'dwb_new.'),
} as const;

/** The decoder output that holds input `past_key_values.<i>.<decoder|encoder>.<kv>` after a step. */
export function presentName(past: string): string {
  return past.replace(/^past_key_values\./, 'present.');
}

const SELF_PAST = /^past_key_values\.\d+\.decoder\.(key|value)$/;

/** Rewrites `model` in place (see the module comment); returns the self-attention past names it moved. */
export function keepCacheOutside(model: OnnxModel, heads: number, headDim: number): string[] {
  const pasts = model.inputs().filter((n) => SELF_PAST.test(n));
  if (pasts.length === 0) throw new FuseError('the decoder has no past_key_values.<i>.decoder.* inputs');
  const outputs = new Set(model.outputs());
  const initializers: TensorData[] = [
    { name: 'dwb_cache_zero', elemType: 'int64', dims: [1], raw: int64Bytes([0]) },
    { name: 'dwb_cache_axis', elemType: 'int64', dims: [1], raw: int64Bytes([2]) },
    { name: 'dwb_cache_last', elemType: 'int64', dims: [1], raw: int64Bytes([-1]) },
    // Slice clamps an end past the dimension to its size.
    { name: 'dwb_cache_end', elemType: 'int64', dims: [1], raw: int64Bytes([2 ** 53 - 1]) },
  ];
  const sliceIn: NodeDef[] = [];
  const sliceOut: NodeDef[] = [];
  const inputs: ValueInfo[] = [{ name: CACHE.pastLength, elemType: 'int64', shape: [1] }];
  const newOutputs: ValueInfo[] = [];
  for (const past of pasts) {
    const present = presentName(past);
    if (!outputs.has(present)) throw new FuseError(`the decoder has input '${past}' but no output '${present}'`);
    inputs.push({ name: CACHE.buffer(past), elemType: 'float', shape: ['batch_size', heads, 'cache_capacity', headDim] });
    sliceIn.push({ name: `dwb_slice_${past}`, opType: 'Slice', inputs: [CACHE.buffer(past), 'dwb_cache_zero', CACHE.pastLength, 'dwb_cache_axis'], outputs: [past], attributes: [] });
    sliceOut.push({ name: `dwb_slice_${present}`, opType: 'Slice', inputs: [present, 'dwb_cache_last', 'dwb_cache_end', 'dwb_cache_axis'], outputs: [CACHE.newEntry(present)], attributes: [] });
    newOutputs.push({ name: CACHE.newEntry(present), elemType: 'float', shape: ['batch_size', heads, 1, headDim] });
  }
  model.removeInputs(...pasts).addInputs(...inputs).addInitializers(...initializers).prependNodes(...sliceIn).addNodes(...sliceOut).addOutputs(...newOutputs);
  return pasts;
}
