/**
 * ONNX ModelProto / GraphProto / NodeProto / TensorProto encoders on top of ProtoWriter, for the
 * helper graphs, the batch-invariant rewrite's new nodes and the test model generator alike.
 * Only the fields these writers need are written (field numbers in schema.ts).
 */
import {
  ATTRIBUTE,
  ATTRIBUTE_TYPE,
  DataType,
  DIMENSION,
  GRAPH,
  MODEL,
  NODE,
  OPSET,
  SHAPE,
  STRING_ENTRY,
  TENSOR,
  TENSOR_TYPE,
  TYPE,
  VALUE_INFO,
  type ElemType,
} from './schema.js';
import { ProtoWriter } from './writer.js';

export { DataType, type ElemType } from './schema.js';

export interface TensorData {
  readonly name: string;
  readonly elemType: ElemType;
  readonly dims: readonly number[];
  /** Little-endian element bytes (ONNX raw_data). */
  readonly raw: Uint8Array;
}

export type Attribute =
  | { readonly name: string; readonly kind: 'int'; readonly value: number }
  | { readonly name: string; readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly name: string; readonly kind: 'float'; readonly value: number }
  | { readonly name: string; readonly kind: 'tensor'; readonly value: TensorData }
  | { readonly name: string; readonly kind: 'graph'; readonly value: GraphDef };

export interface NodeDef {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly Attribute[];
  readonly domain?: string;
}

/** A dimension is a fixed size or a symbolic name. */
export type Dim = number | string;

export interface ValueInfo {
  readonly name: string;
  readonly elemType: ElemType;
  /** Omitted: rank and dims unknown. */
  readonly shape?: readonly Dim[];
}

export interface GraphDef {
  readonly name: string;
  readonly nodes: readonly NodeDef[];
  readonly initializers: readonly TensorData[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
}

export interface ModelOptions {
  readonly opset: number;
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export function encodeTensor(t: TensorData): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(TENSOR.dims, d); // unpacked is valid for proto2 repeated int64
  w.int(TENSOR.dataType, DataType[t.elemType]);
  w.string(TENSOR.name, t.name);
  w.bytes(TENSOR.rawData, t.raw);
  return w;
}

function encodeAttribute(a: Attribute): ProtoWriter {
  const w = new ProtoWriter();
  w.string(ATTRIBUTE.name, a.name);
  switch (a.kind) {
    case 'float':
      w.float(ATTRIBUTE.f, a.value);
      w.int(ATTRIBUTE.type, ATTRIBUTE_TYPE.float);
      break;
    case 'int':
      w.int(ATTRIBUTE.i, a.value);
      w.int(ATTRIBUTE.type, ATTRIBUTE_TYPE.int);
      break;
    case 'tensor':
      w.message(ATTRIBUTE.t, encodeTensor(a.value));
      w.int(ATTRIBUTE.type, ATTRIBUTE_TYPE.tensor);
      break;
    case 'graph':
      w.message(ATTRIBUTE.g, encodeGraph(a.value));
      w.int(ATTRIBUTE.type, ATTRIBUTE_TYPE.graph);
      break;
    case 'ints':
      for (const v of a.value) w.int(ATTRIBUTE.ints, v);
      w.int(ATTRIBUTE.type, ATTRIBUTE_TYPE.ints);
      break;
  }
  return w;
}

/** One NodeProto: inputs, outputs, name, op type, attributes (in that order), then the domain if set. */
export function encodeNode(n: NodeDef): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(NODE.input, i);
  for (const o of n.outputs) w.string(NODE.output, o);
  w.string(NODE.name, n.name);
  w.string(NODE.opType, n.opType);
  for (const a of n.attributes) w.message(NODE.attribute, encodeAttribute(a));
  if (n.domain !== undefined) w.string(NODE.domain, n.domain);
  return w;
}

export function encodeValueInfo(v: ValueInfo): ProtoWriter {
  const tensorType = new ProtoWriter().int(TENSOR_TYPE.elemType, DataType[v.elemType]);
  if (v.shape) {
    const shape = new ProtoWriter();
    for (const d of v.shape) {
      const dim = new ProtoWriter();
      if (typeof d === 'number') dim.int(DIMENSION.value, d);
      else dim.string(DIMENSION.param, d);
      shape.message(SHAPE.dim, dim);
    }
    tensorType.message(TENSOR_TYPE.shape, shape);
  }
  const type = new ProtoWriter().message(TYPE.tensorType, tensorType);
  return new ProtoWriter().string(VALUE_INFO.name, v.name).message(VALUE_INFO.type, type);
}

export function encodeGraph(g: GraphDef): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(GRAPH.node, encodeNode(n));
  w.string(GRAPH.name, g.name);
  for (const t of g.initializers) w.message(GRAPH.initializer, encodeTensor(t));
  for (const i of g.inputs) w.message(GRAPH.input, encodeValueInfo(i));
  for (const o of g.outputs) w.message(GRAPH.output, encodeValueInfo(o));
  return w;
}

export function encodeModel(g: GraphDef, opts: ModelOptions): ProtoWriter {
  const w = new ProtoWriter();
  w.int(MODEL.irVersion, opts.irVersion);
  w.string(MODEL.producerName, opts.producerName);
  w.string(MODEL.producerVersion, opts.producerVersion);
  w.message(MODEL.graph, encodeGraph(g));
  w.message(MODEL.opsetImport, new ProtoWriter().string(OPSET.domain, '').int(OPSET.version, opts.opset));
  for (const [key, value] of Object.entries(opts.metadata ?? {})) {
    w.message(MODEL.metadataProps, new ProtoWriter().string(STRING_ENTRY.key, key).string(STRING_ENTRY.value, value));
  }
  return w;
}

// ---- raw_data helpers -------------------------------------------------------------------

/** Float32Array bytes as little-endian raw_data (copy-free on little-endian hosts). */
export function floatBytes(a: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.length * 4);
  const dv = new DataView(out.buffer);
  a.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  return out;
}

export function int64Bytes(values: readonly (number | bigint)[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setBigInt64(i * 8, BigInt(v), true));
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
