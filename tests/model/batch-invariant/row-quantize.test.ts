import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { rewriteGraph, modelGraphField, replaceGraph, type NodeInfo } from '../../../src/onnx/graph.js';
import { decodeFields, WIRE_FIXED32, WIRE_VARINT, type Field } from '../../../src/onnx/wire.js';
import { ProtoWriter } from '../../../src/onnx/writer.js';
import { rowQuantize, rowQuantizeModel, RowQuantizeError } from '../../../src/model/batch-invariant/row-quantize.js';
import { GraphBuilder } from '../../../testmodel/graph-builder.js';
import { makeTinyModel } from '../../helpers/tiny-model.js';
import { int64, readConfig, runDecoder } from '../../testmodel/helpers.js';
import {
  activationMatmulModel,
  countOpType,
  countText,
  encode,
  floats,
  linearModel,
  perRowColMatmul,
  perRowLinear,
  randomFloats,
  relativeError,
  run,
} from './helpers.js';

const K = 24;
const N = 10;
const weight = randomFloats(K * N, 3);
// With a bias, ONNX Runtime would fuse MatMulInteger+Cast+Mul+Add into MatMulIntegerToFloat, whose
// kernel gets a per-row scale wrong: the rewrite must keep that fusion from happening.
const bias = randomFloats(N, 4);

/** Rows of very different magnitudes (one all zero), so that one scale for all would hurt the small ones. */
function rowsX(): Float32Array {
  const base = randomFloats(5 * K, 9);
  const gains = [1, 1e4, 0, 1e-30, 0.01];
  return base.map((v, i) => v * (gains[Math.floor(i / K)] as number));
}

function rowOf(y: ArrayLike<number>, r: number): number[] {
  return Array.from({ length: N }, (_, j) => y[r * N + j] as number);
}

describe('rowQuantize on a single quantized linear layer', () => {
  const original = linearModel(weight, K, N, 17, bias);
  const rewritten = rowQuantizeModel(original);
  const x = rowsX();

  it('replaces the DynamicQuantizeLinear and computes every row as if quantized alone', async () => {
    expect(countOpType(original, 'DynamicQuantizeLinear')).toBe(1);
    expect(countOpType(rewritten, 'DynamicQuantizeLinear')).toBe(0);
    const y = await run(rewritten, { x: floats(x, [5, K]) });
    const ref = perRowLinear(x, 5, weight, K, N, bias);
    for (let r = 0; r < 5; r++) expect(relativeError(rowOf(y, r), rowOf(ref, r)), `row ${r}`).toBeLessThan(1e-5);
    // The all-zero row gives exactly the bias (no 0/0 from a zero scale).
    expect(rowOf(y, 2)).toEqual(Array.from(bias));
  });

  it('gives each row bit-identical results alone and in a batch (the original does not)', async () => {
    // Rank 3 ([batch, seq, d]) as in the Marian graphs: a scale per token row, not per batch entry.
    const batched = await run(rewritten, { x: floats(x, [1, 5, K]) });
    const before = await run(original, { x: floats(x, [5, K]) });
    for (let r = 0; r < 5; r++) {
      const alone = await run(rewritten, { x: floats(x.slice(r * K, (r + 1) * K), [1, 1, K]) });
      expect(Array.from(alone), `row ${r}`).toEqual(rowOf(batched, r));
    }
    // Precondition that makes the check above meaningful: per-tensor scales mix rows.
    const firstAlone = await run(original, { x: floats(x.slice(0, K), [1, K]) });
    expect(Array.from(firstAlone)).not.toEqual(rowOf(before, 0));
  });

  it('is not changed by ONNX Runtime graph optimizations (MatMulIntegerToFloat fusion stays off)', async () => {
    const all = await run(rewritten, { x: floats(x, [5, K]) }, 'all');
    const none = await run(rewritten, { x: floats(x, [5, K]) }, 'disabled');
    for (let r = 0; r < 5; r++) expect(relativeError(rowOf(all, r), rowOf(none, r)), `row ${r}`).toBeLessThan(1e-6);
  });

  it('writes ReduceMax axes as an input from opset 18 on', async () => {
    const v18 = rowQuantizeModel(linearModel(weight, K, N, 18, bias));
    const y = await run(v18, { x: floats(x, [5, K]) });
    const ref = perRowLinear(x, 5, weight, K, N, bias);
    for (let r = 0; r < 5; r++) expect(relativeError(rowOf(y, r), rowOf(ref, r)), `row ${r}`).toBeLessThan(1e-5);
  });

  it('leaves a model without DynamicQuantizeLinear byte for byte as it was', () => {
    const g = new GraphBuilder(false);
    g.op('Identity', ['x'], {}, 'y');
    const plain = encode(g.build('plain', [{ name: 'x', elemType: 'float', shape: [2] }], [{ name: 'y', elemType: 'float', shape: [2] }]));
    const result = rowQuantize(plain);
    expect(result.replaced).toBe(0);
    expect(result.model.toBytes()).toEqual(plain);
  });
});

describe('rowQuantize on other consumers', () => {
  it('quantizes a MatMulInteger B operand per column', async () => {
    const m = 3;
    const n = 4;
    const a = randomFloats(m * K, 21).map((v, i) => (i < K ? v * 50 : v));
    const b = randomFloats(K * n, 22).map((v, i) => (i % n === 1 ? v * 1e-3 : v));
    const y = await run(rowQuantizeModel(activationMatmulModel(K)), { a: floats(a, [m, K]), b: floats(b, [K, n]) });
    const ref = perRowColMatmul(a, b, m, K, n);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < n; c++) expect(Math.abs((y[r * n + c] as number) - (ref[r * n + c] as number))).toBeLessThanOrEqual(1e-5 * Math.abs(ref[r * n + c] as number) + 1e-12);
    }
  });

  it('refuses a quantized output read by anything but MatMulInteger, naming the node', () => {
    const g = new GraphBuilder(true);
    const [q] = g.opN('DynamicQuantizeLinear', ['x'], 3);
    g.op('Cast', [q!], { to: 1 }, 'y');
    const model = encode(g.build('odd', [{ name: 'x', elemType: 'float', shape: [2, 3] }], [{ name: 'y', elemType: 'float', shape: [2, 3] }]));
    expect(() => rowQuantize(model)).toThrow(RowQuantizeError);
    expect(() => rowQuantize(model)).toThrow(/Cast input 0.*DynamicQuantizeLinear_0/);
  });
});

describe('rowQuantize on the generated tiny Marian model', () => {
  let dir: string;
  let decoderBytes: Uint8Array;

  beforeAll(async () => {
    dir = await makeTinyModel({ dtype: 'q8' });
    decoderBytes = new Uint8Array(await readFile(join(dir, 'onnx', 'decoder_model_merged_quantized.onnx')));
  });

  it('replaces every DynamicQuantizeLinear, those inside the If branches included', async () => {
    const encoderBytes = new Uint8Array(await readFile(join(dir, 'onnx', 'encoder_model_quantized.onnx')));
    for (const bytes of [encoderBytes, decoderBytes]) {
      const before = countOpType(bytes, 'DynamicQuantizeLinear');
      expect(before).toBeGreaterThan(0);
      const result = rowQuantize(bytes);
      expect(result.replaced).toBe(before);
      expect(countOpType(result.model.toBytes(), 'DynamicQuantizeLinear')).toBe(0);
    }
    // The cross-attention projections live in the If's else branch.
    expect(countText(decoderBytes, 'no_cache')).toBe(1);
  });

  it('re-encoding every node, If branches included, gives back the same bytes and the same outputs', async () => {
    const modelFields = decodeFields(decoderBytes);
    const reencode = (node: NodeInfo): ProtoWriter[] => [reencodeFields(node.fields)];
    const graph = rewriteGraph(modelGraphField(modelFields).data, reencode);
    expect(graph).toBeDefined();
    const again = replaceGraph(modelFields, graph!).toBytes();
    expect(again).toEqual(decoderBytes);
    const [a, b] = await Promise.all([decoderLogits(decoderBytes), decoderLogits(again)]);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  async function decoderLogits(model: Uint8Array): Promise<Float32Array> {
    const cfg = await readConfig(dir);
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
    try {
      const mask = int64([[1, 1, 1]]);
      const hidden = floats(randomFloats(3 * 16, 5), [1, 3, 16]);
      const out = await runDecoder(session, cfg, mask, hidden, int64([[cfg.pad_token_id, 4, 9]]), undefined);
      return out.logits.data as Float32Array;
    } finally {
      await session.release();
    }
  }
});

/** Writes each field by value (not by reference), recursing into nested messages of a node. */
function reencodeFields(fields: readonly Field[]): ProtoWriter {
  const e = new ProtoWriter();
  for (const f of fields) {
    if (f.wire === WIRE_VARINT) e.int(f.no, f.varint);
    else if (f.wire === WIRE_FIXED32) e.float(f.no, new DataView(f.data.buffer, f.data.byteOffset, 4).getFloat32(0, true));
    else if (f.no === 5) e.message(f.no, reencodeFields(decodeFields(f.data))); // NodeProto.attribute
    else e.bytes(f.no, f.data);
  }
  return e;
}
