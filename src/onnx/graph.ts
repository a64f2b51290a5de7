/**
 * Just enough of ONNX's ModelProto / GraphProto / NodeProto to walk every graph of a model,
 * subgraphs of If/Loop/Scan included, and to replace nodes and add initializers while every
 * untouched byte (weights above all) is written back by reference.
 */
import { ATTRIBUTE, DATA_LOCATION_EXTERNAL, FUNCTION, GRAPH, MODEL, NODE, OPSET, TENSOR, VALUE_INFO } from './schema.js';
import { decodeFields, fieldString, ProtoDecodeError, WIRE_LEN, WIRE_VARINT, type Field } from './wire.js';
import { ProtoWriter } from './writer.js';

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
    if (f.no === NODE.input) inputs.push(fieldString(f));
    else if (f.no === NODE.output) outputs.push(fieldString(f));
    else if (f.no === NODE.opType) opType = fieldString(f);
    else if (f.no === NODE.domain) domain = fieldString(f);
    else if (f.no === NODE.name) name = fieldString(f);
  }
  return { opType, domain: domain === 'ai.onnx' ? '' : domain, name, inputs, outputs, fields };
}

/** The opset version the model imports for `domain` ("" = default ONNX domain), if any. */
export function modelOpset(modelFields: readonly Field[], domain = ''): number | undefined {
  for (const f of modelFields) {
    if (f.no !== MODEL.opsetImport || f.wire !== WIRE_LEN) continue;
    let d = '';
    let v: bigint | undefined;
    for (const g of decodeFields(f.data)) {
      if (g.no === OPSET.domain && g.wire === WIRE_LEN) d = fieldString(g);
      else if (g.no === OPSET.version && g.wire === WIRE_VARINT) v = g.varint;
    }
    if ((d === 'ai.onnx' ? '' : d) === domain && v !== undefined) return Number(v);
  }
  return undefined;
}

export function modelGraphField(modelFields: readonly Field[]): Field {
  const g = modelFields.find((f) => f.no === MODEL.graph && f.wire === WIRE_LEN);
  if (!g) throw new ProtoDecodeError(`ModelProto has no graph (field ${MODEL.graph})`, 0);
  return g;
}

/** Nodes of the model's local functions (FunctionProto), which the graph walk does not enter. */
export function functionNodes(modelFields: readonly Field[]): NodeInfo[] {
  const out: NodeInfo[] = [];
  for (const f of modelFields) {
    if (f.no !== MODEL.functions || f.wire !== WIRE_LEN) continue;
    for (const g of decodeFields(f.data)) if (g.no === FUNCTION.node && g.wire === WIRE_LEN) out.push(readNode(g.data));
  }
  return out;
}

/** Subgraph bytes held by a node's attributes (If branches, Loop/Scan bodies). */
function subgraphsOf(node: NodeInfo): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of node.fields) {
    if (f.no !== NODE.attribute || f.wire !== WIRE_LEN) continue;
    for (const a of decodeFields(f.data)) {
      if ((a.no === ATTRIBUTE.g || a.no === ATTRIBUTE.graphs) && a.wire === WIRE_LEN) out.push(a.data);
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
    if (f.no === GRAPH.node) {
      const node = readNode(f.data);
      visit(node, depth);
      for (const sub of subgraphsOf(node)) walkGraph(sub, visit, names, depth + 1);
    } else if (names && (f.no === GRAPH.initializer || f.no === GRAPH.input)) {
      let name = '';
      let isExternal = false;
      for (const g of decodeFields(f.data)) {
        if (f.no === GRAPH.initializer && g.no === TENSOR.name && g.wire === WIRE_LEN) name = fieldString(g);
        else if (f.no === GRAPH.input && g.no === VALUE_INFO.name && g.wire === WIRE_LEN) name = fieldString(g);
        else if (f.no === GRAPH.initializer && g.no === TENSOR.dataLocation && g.varint === DATA_LOCATION_EXTERNAL) isExternal = true;
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
export type NodeRewriter = (node: NodeInfo) => readonly ProtoWriter[] | undefined;

/**
 * Re-encodes `graph` with `rewrite` applied to every node of it and of its subgraphs; `extra`
 * (encoded TensorProtos, asked for once every node has been seen) are appended as initializers.
 * Returns undefined when nothing changed.
 */
export function rewriteGraph(graph: Uint8Array, rewrite: NodeRewriter, extra?: () => readonly ProtoWriter[]): ProtoWriter | undefined {
  const out = new ProtoWriter();
  let changed = false;
  for (const f of decodeFields(graph)) {
    if (f.no !== GRAPH.node || f.wire !== WIRE_LEN) {
      out.field(f);
      continue;
    }
    const node = readNode(f.data);
    const withSubgraphs = rewriteSubgraphs(node, rewrite);
    const replacement = rewrite(withSubgraphs ? readNode(withSubgraphs.toBytes()) : node);
    if (replacement) {
      for (const r of replacement) out.message(GRAPH.node, r);
      changed = true;
    } else if (withSubgraphs) {
      out.message(GRAPH.node, withSubgraphs);
      changed = true;
    } else {
      out.field(f);
    }
  }
  if (changed) for (const t of extra?.() ?? []) out.message(GRAPH.initializer, t);
  return changed ? out : undefined;
}

/** The node re-encoded with rewritten subgraph attributes, or undefined when none changed. */
function rewriteSubgraphs(node: NodeInfo, rewrite: NodeRewriter): ProtoWriter | undefined {
  const out = new ProtoWriter();
  let changed = false;
  for (const f of node.fields) {
    if (f.no !== NODE.attribute || f.wire !== WIRE_LEN) {
      out.field(f);
      continue;
    }
    const attr = new ProtoWriter();
    let attrChanged = false;
    for (const a of decodeFields(f.data)) {
      const sub = (a.no === ATTRIBUTE.g || a.no === ATTRIBUTE.graphs) && a.wire === WIRE_LEN ? rewriteGraph(a.data, rewrite) : undefined;
      if (sub) {
        attr.message(a.no, sub);
        attrChanged = true;
      } else {
        attr.field(a);
      }
    }
    if (attrChanged) {
      out.message(NODE.attribute, attr);
      changed = true;
    } else {
      out.field(f);
    }
  }
  return changed ? out : undefined;
}

/** The model with its graph replaced (every other field kept as it was). */
export function replaceGraph(modelFields: readonly Field[], graph: ProtoWriter): ProtoWriter {
  const out = new ProtoWriter();
  for (const f of modelFields) {
    if (f.no === MODEL.graph && f.wire === WIRE_LEN) out.message(MODEL.graph, graph);
    else out.field(f);
  }
  return out;
}
