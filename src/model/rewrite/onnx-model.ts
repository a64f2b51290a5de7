/**
 * Just enough of ONNX's ModelProto / GraphProto / NodeProto (onnx/onnx.proto field numbers) to walk
 * every graph of a model, subgraphs of If/Loop/Scan included, and to replace nodes and add
 * initializers while every untouched byte (weights above all) is written back by reference.
 */
import { decodeFields, Encoded, fieldString, ProtoDecodeError, WIRE_LEN, WIRE_VARINT, type Field } from './proto.js';

// ModelProto
const MODEL_OPSET_IMPORT = 8;
const MODEL_GRAPH = 7;
const MODEL_FUNCTIONS = 25;
// OperatorSetIdProto
const OPSET_DOMAIN = 1;
const OPSET_VERSION = 2;
// GraphProto
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
// NodeProto
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const NODE_DOMAIN = 7;
// FunctionProto
const FUNCTION_NODE = 7;
// AttributeProto
const ATTR_NAME = 1;
const ATTR_F = 2;
const ATTR_I = 3;
const ATTR_G = 6;
const ATTR_INTS = 8;
const ATTR_GRAPHS = 11;
const ATTR_TYPE = 20;
const ATTR_TYPE_FLOAT = 1;
const ATTR_TYPE_INT = 2;
const ATTR_TYPE_INTS = 7;
// TensorProto / ValueInfoProto
const TENSOR_NAME = 8;
const TENSOR_DATA_LOCATION = 14;
const DATA_LOCATION_EXTERNAL = 1n;
const VALUE_INFO_NAME = 1;

export interface NodeInfo {
  readonly opType: string;
  /** "" for the default ONNX domain ("ai.onnx" is normalised to ""). */
  readonly domain: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Every field of the node, attributes included, in file order. */
  readonly fields: readonly Field[];
}

export function readNode(bytes: Uint8Array): NodeInfo {
  const fields = decodeFields(bytes);
  const inputs: string[] = [];
  const outputs: string[] = [];
  let opType = '';
  let domain = '';
  let name = '';
  for (const f of fields) {
    if (f.wire !== WIRE_LEN) continue;
    if (f.no === NODE_INPUT) inputs.push(fieldString(f));
    else if (f.no === NODE_OUTPUT) outputs.push(fieldString(f));
    else if (f.no === NODE_OP_TYPE) opType = fieldString(f);
    else if (f.no === NODE_DOMAIN) domain = fieldString(f);
    else if (f.no === NODE_NAME) name = fieldString(f);
  }
  return { opType, domain: domain === 'ai.onnx' ? '' : domain, name, inputs, outputs, fields };
}

/** The opset version the model imports for `domain` ("" = default ONNX domain), if any. */
export function modelOpset(modelFields: readonly Field[], domain = ''): number | undefined {
  for (const f of modelFields) {
    if (f.no !== MODEL_OPSET_IMPORT || f.wire !== WIRE_LEN) continue;
    let d = '';
    let v: bigint | undefined;
    for (const g of decodeFields(f.data)) {
      if (g.no === OPSET_DOMAIN && g.wire === WIRE_LEN) d = fieldString(g);
      else if (g.no === OPSET_VERSION && g.wire === WIRE_VARINT) v = g.varint;
    }
    if ((d === 'ai.onnx' ? '' : d) === domain && v !== undefined) return Number(v);
  }
  return undefined;
}

export function modelGraphField(modelFields: readonly Field[]): Field {
  const g = modelFields.find((f) => f.no === MODEL_GRAPH && f.wire === WIRE_LEN);
  if (!g) throw new ProtoDecodeError('ModelProto has no graph (field 7)', 0);
  return g;
}

/** Nodes of the model's local functions (FunctionProto), which the graph walk does not enter. */
export function functionNodes(modelFields: readonly Field[]): NodeInfo[] {
  const out: NodeInfo[] = [];
  for (const f of modelFields) {
    if (f.no !== MODEL_FUNCTIONS || f.wire !== WIRE_LEN) continue;
    for (const g of decodeFields(f.data)) if (g.no === FUNCTION_NODE && g.wire === WIRE_LEN) out.push(readNode(g.data));
  }
  return out;
}

/** Subgraph bytes held by a node's attributes (If branches, Loop/Scan bodies). */
function subgraphsOf(node: NodeInfo): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of node.fields) {
    if (f.no !== NODE_ATTRIBUTE || f.wire !== WIRE_LEN) continue;
    for (const a of decodeFields(f.data)) {
      if ((a.no === ATTR_G || a.no === ATTR_GRAPHS) && a.wire === WIRE_LEN) out.push(a.data);
    }
  }
  return out;
}

export interface GraphNames {
  /** Names of initializers and graph inputs. */
  readonly declared: readonly string[];
  readonly externalInitializers: readonly string[];
}

/** Calls `visit` on every node of `graph` and of its subgraphs, depth first, in file order. */
export function walkGraph(graph: Uint8Array, visit: (node: NodeInfo, depth: number) => void, names?: (n: GraphNames) => void, depth = 0): void {
  const declared: string[] = [];
  const external: string[] = [];
  for (const f of decodeFields(graph)) {
    if (f.wire !== WIRE_LEN) continue;
    if (f.no === GRAPH_NODE) {
      const node = readNode(f.data);
      visit(node, depth);
      for (const sub of subgraphsOf(node)) walkGraph(sub, visit, names, depth + 1);
    } else if (names && (f.no === GRAPH_INITIALIZER || f.no === GRAPH_INPUT)) {
      let name = '';
      let isExternal = false;
      for (const g of decodeFields(f.data)) {
        if (f.no === GRAPH_INITIALIZER && g.no === TENSOR_NAME && g.wire === WIRE_LEN) name = fieldString(g);
        else if (f.no === GRAPH_INPUT && g.no === VALUE_INFO_NAME && g.wire === WIRE_LEN) name = fieldString(g);
        else if (f.no === GRAPH_INITIALIZER && g.no === TENSOR_DATA_LOCATION && g.varint === DATA_LOCATION_EXTERNAL) isExternal = true;
      }
      declared.push(name);
      if (isExternal) external.push(name);
    }
  }
  names?.({ declared, externalInitializers: external });
}

/**
 * Returns the nodes that replace `node` (encoded NodeProto messages), or undefined to keep it.
 * Called after the node's own subgraphs have been rewritten.
 */
export type NodeRewriter = (node: NodeInfo) => readonly Encoded[] | undefined;

/**
 * Re-encodes `graph` with `rewrite` applied to every node of it and of its subgraphs; `extra`
 * (encoded TensorProtos, asked for once every node has been seen) are appended as initializers.
 * Returns undefined when nothing changed.
 */
export function rewriteGraph(graph: Uint8Array, rewrite: NodeRewriter, extra?: () => readonly Encoded[]): Encoded | undefined {
  const out = new Encoded();
  let changed = false;
  for (const f of decodeFields(graph)) {
    if (f.no !== GRAPH_NODE || f.wire !== WIRE_LEN) {
      out.raw(f);
      continue;
    }
    const node = readNode(f.data);
    const withSubgraphs = rewriteSubgraphs(node, rewrite);
    const replacement = rewrite(withSubgraphs ? readNode(withSubgraphs.toBytes()) : node);
    if (replacement) {
      for (const r of replacement) out.message(GRAPH_NODE, r);
      changed = true;
    } else if (withSubgraphs) {
      out.message(GRAPH_NODE, withSubgraphs);
      changed = true;
    } else {
      out.raw(f);
    }
  }
  if (changed) for (const t of extra?.() ?? []) out.message(GRAPH_INITIALIZER, t);
  return changed ? out : undefined;
}

/** The node re-encoded with rewritten subgraph attributes, or undefined when none changed. */
function rewriteSubgraphs(node: NodeInfo, rewrite: NodeRewriter): Encoded | undefined {
  const out = new Encoded();
  let changed = false;
  for (const f of node.fields) {
    if (f.no !== NODE_ATTRIBUTE || f.wire !== WIRE_LEN) {
      out.raw(f);
      continue;
    }
    const attr = new Encoded();
    let attrChanged = false;
    for (const a of decodeFields(f.data)) {
      const sub = (a.no === ATTR_G || a.no === ATTR_GRAPHS) && a.wire === WIRE_LEN ? rewriteGraph(a.data, rewrite) : undefined;
      if (sub) {
        attr.message(a.no, sub);
        attrChanged = true;
      } else {
        attr.raw(a);
      }
    }
    if (attrChanged) {
      out.message(NODE_ATTRIBUTE, attr);
      changed = true;
    } else {
      out.raw(f);
    }
  }
  return changed ? out : undefined;
}

/** The model with its graph replaced (every other field kept as it was). */
export function replaceGraph(modelFields: readonly Field[], graph: Encoded): Encoded {
  const out = new Encoded();
  for (const f of modelFields) {
    if (f.no === MODEL_GRAPH && f.wire === WIRE_LEN) out.message(MODEL_GRAPH, graph);
    else out.raw(f);
  }
  return out;
}

// ---- building new nodes -----------------------------------------------------------------------

export type AttrValue = { readonly int: number } | { readonly ints: readonly number[] } | { readonly float: number };

export function encodeNode(opType: string, inputs: readonly string[], outputs: readonly string[], name: string, attrs: Readonly<Record<string, AttrValue>> = {}): Encoded {
  const n = new Encoded();
  for (const i of inputs) n.string(NODE_INPUT, i);
  for (const o of outputs) n.string(NODE_OUTPUT, o);
  n.string(NODE_NAME, name);
  n.string(NODE_OP_TYPE, opType);
  for (const [key, v] of Object.entries(attrs)) {
    const a = new Encoded().string(ATTR_NAME, key);
    if ('int' in v) a.varint(ATTR_I, v.int).varint(ATTR_TYPE, ATTR_TYPE_INT);
    else if ('ints' in v) {
      for (const x of v.ints) a.varint(ATTR_INTS, x);
      a.varint(ATTR_TYPE, ATTR_TYPE_INTS);
    } else a.float(ATTR_F, v.float).varint(ATTR_TYPE, ATTR_TYPE_FLOAT);
    n.message(NODE_ATTRIBUTE, a);
  }
  return n;
}
