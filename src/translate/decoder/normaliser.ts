/**
 * The log_softmax normaliser log(sum(exp(row))) of every logits row, computed by a tiny ONNX Runtime
 * session fed with the decoder's own logits tensor (no copy). Beam search needs it for every row of
 * every step; in JavaScript the 54,796 exp() calls per row cost about a quarter of beam time, in
 * ONNX Runtime's vectorised LogSoftmax about a twentieth of that.
 *
 * The graph is LogSoftmax → Slice: only each row's first log-probability leaves ONNX Runtime, and
 * the normaliser is `logit[0] - logprob[0]` (exact in float64 up to the float32 rounding of the
 * log-probability, as HF's own float32 log_softmax rounds it). Measured on 64 rows × 54,796:
 * ~1.2 ms, against ~2.4 ms for ReduceMax → Sub → Exp → ReduceSum → Log, ~12 ms for one
 * ReduceLogSumExp node (slower, and less exact in ONNX Runtime 1.30) and ~30 ms in JavaScript.
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelError } from '../../errors.js';
import { encodeModel, int64Bytes, type GraphDef, type TensorData } from '../../onnx/build.js';
import type { OrtTensor } from './tensors.js';

const OPSET = 17;

function int64(name: string, value: number): TensorData {
  return { name, elemType: 'int64', dims: [1], raw: int64Bytes([value]) };
}

/** logits [rows, width, vocab] float → the log-probability of token 0, [rows, width, 1] float. */
export function normaliserGraph(): GraphDef {
  return {
    name: 'dwibahasa_log_normaliser',
    nodes: [
      { name: 'log_softmax', opType: 'LogSoftmax', inputs: ['logits'], outputs: ['logprobs'], attributes: [{ name: 'axis', kind: 'int', value: -1 }] },
      { name: 'first', opType: 'Slice', inputs: ['logprobs', 'zero', 'one', 'last_axis'], outputs: ['first_logprob'], attributes: [] },
    ],
    initializers: [int64('zero', 0), int64('one', 1), int64('last_axis', -1)],
    inputs: [{ name: 'logits', elemType: 'float', shape: ['rows', 'width', 'vocab'] }],
    outputs: [{ name: 'first_logprob', elemType: 'float', shape: ['rows', 'width', 1] }],
  };
}

function modelBytes(): Uint8Array {
  return encodeModel(normaliserGraph(), { opset: OPSET, irVersion: 8, producerName: 'dwibahasa', producerVersion: '1' }).toBytes();
}

/** One session per thread (each worker has its own module instance), opened on first use. */
let session: Promise<InferenceSession> | undefined;

function open(): Promise<InferenceSession> {
  session ??= InferenceSession.create(modelBytes(), {
    // Rows are short and independent: one thread is enough, and more would compete with the decoder.
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  }).catch((err: unknown) => {
    session = undefined;
    throw new ModelError(`cannot open ONNX Runtime's log-softmax helper session: ${(err as Error).message}; check the onnxruntime-node install`, '(built-in graph)', { cause: err });
  });
  return session;
}

/**
 * log(sum(exp(logits))) per row of a float32 [rows, width, vocab] tensor: rows × width values
 * (float64). A row without a finite maximum (all -Infinity, or holding NaN or +Infinity) gives NaN.
 */
export async function logNormalisers(logits: OrtTensor): Promise<Float64Array> {
  const data = logits.data;
  const vocab = logits.dims.at(-1) ?? 0;
  if (!(data instanceof Float32Array) || vocab === 0) throw new RangeError(`logNormalisers: expected float32 logits [rows, width, vocab], got ${logits.type} [${logits.dims.join(', ')}]`);
  const s = await open();
  const t0 = performance.now();
  const out = await s.run({ logits: new Tensor('float32', data, [...logits.dims]) });
  helperMs += performance.now() - t0;
  const first = out['first_logprob']?.data;
  if (!(first instanceof Float32Array)) throw new ModelError('the log-softmax helper session returned no float32 output', '(built-in graph)');
  const lse = new Float64Array(first.length);
  for (let r = 0; r < first.length; r++) {
    const v = data[r * vocab]! - first[r]!;
    // Token 0 at -Infinity (a masked logit) leaves no information in its log-probability.
    lse[r] = Number.isFinite(v) ? v : logSumExp(data.subarray(r * vocab, (r + 1) * vocab));
  }
  return lse;
}

let helperMs = 0;

/** Wall time spent in this module's ONNX Runtime session so far (this thread): ONNX Runtime time too. */
export function helperSessionMs(): number {
  return helperMs;
}

/** log(sum(exp(row))) in float64; NaN when the row has no finite maximum. */
export function logSumExp(row: Float32Array): number {
  let max = -Infinity;
  for (let v = 0; v < row.length; v++) if (row[v]! > max) max = row[v]!;
  if (!Number.isFinite(max)) return NaN;
  let sum = 0;
  for (let v = 0; v < row.length; v++) sum += Math.exp(row[v]! - max);
  return max + Math.log(sum);
}
