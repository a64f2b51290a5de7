/**
 * Makes an int8 (quantize_dynamic) ONNX model batch-invariant. DynamicQuantizeLinear picks ONE scale
 * and zero point for the whole activation tensor [batch, seq, d], so a sentence's numbers depend on
 * the other sentences (and padding) in its batch. Each DynamicQuantizeLinear is replaced here by a
 * per-row symmetric quantization built from standard ops:
 *
 *   s  = max(ReduceMax(|x|, axis, keepdims) / 127, tiny)     (axis -1: one scale per token row)
 *   xq = Cast<uint8>(Round(x / s) + 128),  zero point = 128 (a scalar, as MatMulInteger needs)
 *
 * The three outputs keep their names, so MatMulInteger and the Mul of the scales need no change:
 * the Mul now broadcasts a [.., 1] scale instead of a scalar. Every op is elementwise or reduces
 * within one row, so a row's result no longer depends on its neighbours.
 */
import { encodeNode, encodeTensor, floatBytes, int64Bytes, type Attribute, type TensorData } from '../../onnx/build.js';
import { functionNodes, modelGraphField, modelOpset, replaceGraph, rewriteGraph, walkGraph, type NodeInfo } from '../../onnx/graph.js';
import { decodeFields } from '../../onnx/wire.js';
import { ProtoWriter } from '../../onnx/writer.js';

/** The model cannot be rewritten safely; the message says which node and why. */
export class RowQuantizeError extends Error {
  constructor(message: string, readonly node?: string) {
    super(node === undefined ? message : `${message} (node "${node}")`);
    this.name = 'RowQuantizeError';
  }
}

export interface RowQuantizeResult {
  /** The rewritten ModelProto as chunks (weights are views into the input, not copies). */
  readonly model: ProtoWriter;
  /** How many DynamicQuantizeLinear nodes were replaced (0: the model came back unchanged). */
  readonly replaced: number;
}

const CONST_PREFIX = 'rowq8::';
/** Smallest normal float32: keeps s > 0 for an all-zero row (which then quantizes to 128 everywhere). */
const MIN_SCALE = 1.1754943508222875e-38;

interface Use {
  readonly opType: string;
  readonly domain: string;
  readonly index: number;
}

/** Which axis a quantized activation is reduced over, from how its MatMulIntegers read it. */
type Axis = -1 | -2;

function usesOf(graph: Uint8Array): { uses: Map<string, Use[]>; names: Set<string>; external: string[] } {
  const uses = new Map<string, Use[]>();
  const names = new Set<string>();
  const external: string[] = [];
  walkGraph(
    graph,
    (node) => {
      node.inputs.forEach((name, index) => {
        if (name === '') return;
        const list = uses.get(name) ?? [];
        list.push({ opType: node.opType, domain: node.domain, index });
        uses.set(name, list);
        names.add(name);
      });
      for (const o of node.outputs) names.add(o);
      names.add(node.name);
    },
    (g) => {
      for (const n of g.declared) names.add(n);
      external.push(...g.externalInitializers);
    },
  );
  return { uses, names, external };
}

function isDql(node: NodeInfo): boolean {
  return node.opType === 'DynamicQuantizeLinear' && node.domain === '';
}

/**
 * Row-quantizes every DynamicQuantizeLinear of a serialized ModelProto (graph, If/Loop branches).
 * Throws RowQuantizeError when a DynamicQuantizeLinear output has a consumer this rewrite does not
 * know to be safe with a per-row scale, so that a model is never silently half converted.
 */
export function rowQuantize(bytes: Uint8Array): RowQuantizeResult {
  const modelFields = decodeFields(bytes);
  if (functionNodes(modelFields).some(isDql)) {
    throw new RowQuantizeError('DynamicQuantizeLinear inside a model-local function is not supported');
  }
  const graphField = modelGraphField(modelFields);
  const { uses, names, external } = usesOf(graphField.data);
  if (external.length > 0) {
    throw new RowQuantizeError(`weights stored in external data files are not supported (initializer "${external[0]}")`);
  }
  const opset = modelOpset(modelFields) ?? 0;
  const consts = new Constants(names);
  const scales = new Set<string>();
  walkGraph(graphField.data, (node) => {
    if (isDql(node) && node.outputs[1]) scales.add(node.outputs[1]);
  });
  let replaced = 0;
  const rewrite = (node: NodeInfo): ProtoWriter[] | undefined => {
    if (isDql(node)) {
      replaced++;
      return rowQuantNodes(node, axisFor(node, uses), opset, consts, names);
    }
    if (node.opType === 'Mul' && node.domain === '' && node.inputs.some((i) => scales.has(i))) return scaleProduct(node, scales, names);
    return undefined;
  };
  // Subgraphs read the shared constants through outer scope, so they all go to the root graph.
  const graph = rewriteGraph(graphField.data, rewrite, () => consts.initializers());
  return { model: graph ? replaceGraph(modelFields, graph) : ProtoWriter.from(bytes), replaced };
}

/** Convenience: the rewritten model as one buffer. */
export function rowQuantizeModel(bytes: Uint8Array): Uint8Array {
  return rowQuantize(bytes).model.toBytes();
}

function axisFor(node: NodeInfo, uses: Map<string, Use[]>): Axis {
  const [y, scale, zp] = node.outputs;
  if (y === undefined || scale === undefined || zp === undefined || node.inputs[0] === undefined) {
    throw new RowQuantizeError('DynamicQuantizeLinear without its input and three outputs', node.name);
  }
  const yUses = uses.get(y) ?? [];
  let axis: Axis | undefined;
  for (const u of yUses) {
    if (u.opType !== 'MatMulInteger' || u.domain !== '' || (u.index !== 0 && u.index !== 1)) {
      throw new RowQuantizeError(`quantized output "${y}" feeds ${u.opType} input ${u.index}; only MatMulInteger A/B is supported`, node.name);
    }
    // A [.., M, K] is scaled per row (reduce over K = last axis); B [.., K, N] per column (over K = axis -2).
    const a: Axis = u.index === 0 ? -1 : -2;
    if (axis !== undefined && axis !== a) {
      throw new RowQuantizeError(`quantized output "${y}" is both a MatMulInteger A and B input`, node.name);
    }
    axis = a;
  }
  const zpIndex = axis === -2 ? 3 : 2;
  for (const u of uses.get(zp) ?? []) {
    if (u.opType !== 'MatMulInteger' || u.domain !== '' || u.index !== zpIndex) {
      throw new RowQuantizeError(`zero point "${zp}" feeds ${u.opType} input ${u.index}; expected MatMulInteger input ${zpIndex}`, node.name);
    }
  }
  for (const u of uses.get(scale) ?? []) {
    // A Mul broadcasts the [.., 1] scale correctly; other consumers could assume a scalar.
    if (u.opType !== 'Mul' || u.domain !== '') {
      throw new RowQuantizeError(`scale "${scale}" feeds ${u.opType}; only Mul is supported`, node.name);
    }
  }
  return axis ?? -1;
}

function rowQuantNodes(node: NodeInfo, axis: Axis, opset: number, consts: Constants, names: Set<string>): ProtoWriter[] {
  const x = node.inputs[0] as string;
  const [y, scale, zp] = node.outputs as [string, string, string];
  const base = node.name !== '' ? node.name : y;
  const fresh = (hint: string): string => {
    let n = `${base}/rowq8/${hint}`;
    for (let i = 1; names.has(n); i++) n = `${base}/rowq8/${hint}_${i}`;
    names.add(n);
    return n;
  };
  const out: ProtoWriter[] = [];
  const op = (opType: string, inputs: string[], output: string, attributes: Attribute[] = []): string => {
    out.push(encodeNode({ opType, inputs, outputs: [output], name: fresh(`${opType}_node`), attributes }));
    return output;
  };
  const abs = op('Abs', [x], fresh('abs'));
  // ReduceMax took its axes as an attribute until opset 18 and as an input from then on.
  const maxAbs =
    opset >= 18
      ? op('ReduceMax', [abs, consts.int64([axis], [1])], fresh('max_abs'), [{ name: 'keepdims', kind: 'int', value: 1 }])
      : op('ReduceMax', [abs], fresh('max_abs'), [
          { name: 'axes', kind: 'ints', value: [axis] },
          { name: 'keepdims', kind: 'int', value: 1 },
        ]);
  // Guarding after the division keeps s a normal float (a denormal s would be 0 under flush-to-zero).
  op('Max', [op('Div', [maxAbs, consts.float(127)], fresh('max_abs_127')), consts.float(MIN_SCALE)], scale);
  const rounded = op('Round', [op('Div', [x, scale], fresh('scaled'))], fresh('rounded'));
  // No Clip: |x| <= max|x| = 127 s, so Round(x / s) is within [-127, 127] and the shifted value within
  // [1, 255] (the guarded s is only larger). A NaN would pass a Clip unchanged anyway.
  op('Cast', [op('Add', [rounded, consts.float(128)], fresh('shifted'))], y, [{ name: 'to', kind: 'int', value: 2 }]); // TensorProto.UINT8
  op('Identity', [consts.uint8(128)], zp);
  return out;
}

/**
 * ONNX Runtime fuses MatMulInteger -> Cast -> Mul(·, Mul(a_scale, b_scale)) into MatMulIntegerToFloat,
 * whose kernel takes a_scale as ONE number: with a per-row scale it silently computes wrong values
 * (measured, onnxruntime-node 1.30). The fusion keys on the scale product being a Mul node, so the
 * product is computed as a_scale / (1 / b_scale) instead: equal up to float rounding (~1e-7 relative,
 * far below int8 noise), and both operands are tiny ([.., 1] and the weight scale).
 */
function scaleProduct(mul: NodeInfo, scales: ReadonlySet<string>, names: Set<string>): ProtoWriter[] {
  const [a, b] = mul.inputs;
  const out = mul.outputs[0];
  if (a === undefined || b === undefined || out === undefined || mul.inputs.length !== 2) throw new RowQuantizeError('Mul without two inputs and an output', mul.name);
  const base = mul.name !== '' ? mul.name : out;
  let recip = `${base}/rowq8/reciprocal`;
  for (let i = 1; names.has(recip); i++) recip = `${base}/rowq8/reciprocal_${i}`;
  names.add(recip);
  const [scale, other] = scales.has(a) ? [a, b] : [b, a];
  return [
    encodeNode({ opType: 'Reciprocal', inputs: [other], outputs: [recip], name: `${recip}_node`, attributes: [] }),
    encodeNode({ opType: 'Div', inputs: [scale, recip], outputs: [out], name: base, attributes: [] }),
  ];
}

/** Scalar constants shared by every replacement, added once as root initializers. */
class Constants {
  private readonly byKey = new Map<string, TensorData>();
  constructor(private readonly names: Set<string>) {}

  private add(key: string, make: (name: string) => TensorData): string {
    const hit = this.byKey.get(key);
    if (hit) return hit.name;
    let name = `${CONST_PREFIX}${key}`;
    for (let i = 1; this.names.has(name); i++) name = `${CONST_PREFIX}${key}_${i}`;
    this.names.add(name);
    this.byKey.set(key, make(name));
    return name;
  }

  float(v: number): string {
    return this.add(`float:${v}`, (name) => ({ name, elemType: 'float', dims: [], raw: floatBytes(Float32Array.of(v)) }));
  }

  uint8(v: number): string {
    return this.add(`uint8:${v}`, (name) => ({ name, elemType: 'uint8', dims: [], raw: Uint8Array.of(v) }));
  }

  int64(values: readonly number[], dims: readonly number[]): string {
    return this.add(`int64:${values.join(',')}`, (name) => ({
      name,
      elemType: 'int64',
      dims,
      raw: int64Bytes(values),
    }));
  }

  initializers(): ProtoWriter[] {
    return [...this.byKey.values()].map(encodeTensor);
  }
}
