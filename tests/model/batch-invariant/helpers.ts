/** Small hand-built int8 graphs for the rewrite tests, and an independent per-row int8 reference. */
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../../testmodel/graph-builder.js';
import { encodeModel, type GraphDef } from '../../../src/onnx/build.js';
import { quantizeSymmetricInt8 } from '../../../testmodel/quantize.js';
import { Rng } from '../../../testmodel/seeded-random.js';

/** Seeded floats in [-1, 1). */
export function randomFloats(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uint32() / 2 ** 31 - 1;
  return out;
}

export function encode(graph: GraphDef, opset = 17): Uint8Array {
  return encodeModel(graph, { opset, irVersion: opset >= 18 ? 9 : 8, producerName: 'rewrite-test', producerVersion: '1' }).toBytes();
}

/** y = x @ W for x of any rank, quantized as quantize_dynamic writes it (DynamicQuantizeLinear + MatMulInteger). */
export function linearModel(weight: Float32Array, k: number, n: number, opset = 17, bias?: Float32Array): Uint8Array {
  const g = new GraphBuilder(true);
  const y = g.linear('x', { weight: { data: weight, rows: k, cols: n }, ...(bias ? { bias } : {}) }, 'proj');
  g.op('Identity', [y], {}, 'y');
  return encode(g.build('linear', [{ name: 'x', elemType: 'float' }], [{ name: 'y', elemType: 'float' }]), opset);
}

/** y = a @ b with BOTH operands quantized at run time (b feeds MatMulInteger input B). */
export function activationMatmulModel(k: number): Uint8Array {
  const g = new GraphBuilder(true);
  const [aq, as, azp] = g.opN('DynamicQuantizeLinear', ['a'], 3) as [string, string, string];
  const [bq, bs, bzp] = g.opN('DynamicQuantizeLinear', ['b'], 3) as [string, string, string];
  const acc = g.op('Cast', [g.op('MatMulInteger', [aq, bq, azp, bzp])], { to: 1 });
  g.op('Mul', [acc, g.op('Mul', [as, bs])], {}, 'y');
  return encode(
    g.build(
      'activation_matmul',
      [
        { name: 'a', elemType: 'float', shape: ['m', k] },
        { name: 'b', elemType: 'float', shape: [k, 'n'] },
      ],
      [{ name: 'y', elemType: 'float', shape: ['m', 'n'] }],
    ),
  );
}

export async function run(model: Uint8Array, feeds: Record<string, ort.Tensor>, level: 'all' | 'disabled' = 'all'): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: level, intraOpNumThreads: 1 });
  try {
    const out = await session.run(feeds);
    return out.y!.data as Float32Array;
  } finally {
    await session.release();
  }
}

export function floats(data: Float32Array, dims: number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Symmetric int8 codes and scale of one vector: s = max|v| / 127, q = round(v / s), in float32 steps. */
function quantizeVector(v: Float32Array): { q: number[]; s: number } {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  const s = Math.max(Math.fround(m / 127), 1.1754943508222875e-38);
  return { q: Array.from(v, (x) => roundHalfEven(Math.fround(x / s))), s };
}

/** The reference for linearModel after the rewrite: every row of x quantized on its own. */
export function perRowLinear(x: Float32Array, rows: number, weight: Float32Array, k: number, n: number, bias?: Float32Array): Float64Array {
  const w = quantizeSymmetricInt8(weight);
  const y = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    const { q, s } = quantizeVector(x.subarray(r * k, (r + 1) * k));
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += (q[i] as number) * (w.data[i * n + j] as number);
      y[r * n + j] = acc * s * w.scale + (bias?.[j] ?? 0);
    }
  }
  return y;
}

/** The reference for activationMatmulModel after the rewrite: rows of a and columns of b on their own. */
export function perRowColMatmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const rowsA = Array.from({ length: m }, (_, r) => quantizeVector(a.subarray(r * k, (r + 1) * k)));
  const colsB = Array.from({ length: n }, (_, c) => quantizeVector(Float32Array.from({ length: k }, (_, i) => b[i * n + c] as number)));
  const y = new Float64Array(m * n);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      let acc = 0;
      for (let i = 0; i < k; i++) acc += (rowsA[r]!.q[i] as number) * (colsB[c]!.q[i] as number);
      y[r * n + c] = acc * rowsA[r]!.s * colsB[c]!.s;
    }
  }
  return y;
}

/** Largest |a - b| relative to max |b| (0 when both are all zero). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return scale === 0 ? diff : diff / scale;
}

/**
 * How many nodes of type `opType` the serialized model holds, subgraphs included: counted as the
 * bytes of NodeProto field 4 (tag 0x22, then the length, then the text), independent of any decoder.
 */
export function countOpType(bytes: Uint8Array, opType: string): number {
  const needle = String.fromCharCode(0x22, opType.length) + opType;
  return Buffer.from(bytes).toString('latin1').split(needle).length - 1;
}

export function countText(bytes: Uint8Array, text: string): number {
  return Buffer.from(bytes).toString('latin1').split(text).length - 1;
}
