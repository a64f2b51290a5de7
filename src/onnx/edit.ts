/**
 * Appending to an existing ONNX model: load its bytes, add nodes, initializers, inputs and outputs
 * to the main graph, encode. Everything already in the model is written back by reference, byte for
 * byte; the new entries follow the graph's own fields (protobuf concatenates repeated fields, so
 * the new nodes come after the existing ones, as ONNX's topological order wants for nodes that
 * read the graph's values).
 */
import { encodeNode, encodeTensor, encodeValueInfo, type NodeDef, type TensorData, type ValueInfo } from './build.js';
import { modelGraphField, modelOpset, replaceGraph, walkGraph } from './graph.js';
import { GRAPH, VALUE_INFO } from './schema.js';
import { decodeFields, fieldString, WIRE_LEN, type Field } from './wire.js';
import { ProtoWriter } from './writer.js';

export class OnnxModel {
  private readonly added: { readonly field: number; readonly message: () => ProtoWriter }[] = [];
  private knownNames: Set<string> | undefined;
  private readonly dropped = new Set<string>();
  private readonly droppedInputs = new Set<string>();
  private readonly prepended: NodeDef[] = [];
  private readonly addedOutputs: string[] = [];

  private constructor(
    private readonly modelFields: readonly Field[],
    private readonly graph: Field,
  ) {}

  /** Reads a serialized ModelProto (throws ProtoDecodeError when it is not one). */
  static load(bytes: Uint8Array): OnnxModel {
    const fields = decodeFields(bytes);
    return new OnnxModel(fields, modelGraphField(fields));
  }

  /** The opset the model imports for `domain` ("" = default ONNX domain), if any. */
  opset(domain = ''): number | undefined {
    return modelOpset(this.modelFields, domain);
  }

  /** Every node, value, initializer and input name already used in the graph and its subgraphs (and the added ones). */
  names(): ReadonlySet<string> {
    if (!this.knownNames) {
      const names = new Set<string>();
      walkGraph(
        this.graph.data,
        (node) => {
          names.add(node.name);
          for (const n of [...node.inputs, ...node.outputs]) if (n !== '') names.add(n);
        },
        (g) => {
          for (const n of g.declared) names.add(n);
        },
      );
      this.knownNames = names;
    }
    return this.knownNames;
  }

  addNodes(...nodes: readonly NodeDef[]): this {
    for (const n of nodes) {
      this.note(n.name, ...n.outputs);
      this.added.push({ field: GRAPH.node, message: () => encodeNode(n) });
    }
    return this;
  }

  /**
   * Nodes that must run before the graph's own (they produce values the existing nodes read, e.g.
   * in place of a removed input): written ahead of every existing node.
   */
  prependNodes(...nodes: readonly NodeDef[]): this {
    for (const n of nodes) {
      this.note(n.name, ...n.outputs);
      this.prepended.push(n);
    }
    return this;
  }

  addInitializers(...tensors: readonly TensorData[]): this {
    for (const t of tensors) {
      this.note(t.name);
      this.added.push({ field: GRAPH.initializer, message: () => encodeTensor(t) });
    }
    return this;
  }

  addInputs(...values: readonly ValueInfo[]): this {
    for (const v of values) {
      this.note(v.name);
      this.added.push({ field: GRAPH.input, message: () => encodeValueInfo(v) });
    }
    return this;
  }

  addOutputs(...values: readonly ValueInfo[]): this {
    for (const v of values) {
      this.addedOutputs.push(v.name);
      this.added.push({ field: GRAPH.output, message: () => encodeValueInfo(v) });
    }
    return this;
  }

  /** The graph's output names, in order: the model's own (less the removed ones), then the added ones. */
  outputs(): string[] {
    return [...this.outputFields().map((o) => o.name).filter((n) => !this.dropped.has(n)), ...this.addedOutputs];
  }

  /**
   * Stops returning these graph outputs (the values are still computed where other nodes read
   * them): e.g. full logits once an appended TopK returns what the caller needs. Only the model's
   * own outputs can be removed.
   */
  removeOutputs(...names: readonly string[]): this {
    const present = new Set(this.outputFields().map((o) => o.name));
    for (const n of names) {
      if (!present.has(n)) throw new RangeError(`the graph has no output "${n}" (outputs: ${[...present].join(', ')})`);
      this.dropped.add(n);
    }
    return this;
  }

  /** The graph's input names, in order (less the removed ones; added inputs not included). */
  inputs(): string[] {
    return this.fieldsOf(GRAPH.input).map((o) => o.name).filter((n) => !this.droppedInputs.has(n));
  }

  /**
   * Removes graph inputs: a node (prependNodes) then produces a value of the same name for the
   * nodes that read it, e.g. from an input of another layout. Only the model's own inputs.
   */
  removeInputs(...names: readonly string[]): this {
    const present = new Set(this.fieldsOf(GRAPH.input).map((o) => o.name));
    for (const n of names) {
      if (!present.has(n)) throw new RangeError(`the graph has no input "${n}"`);
      this.droppedInputs.add(n);
    }
    return this;
  }

  /** The model with the additions, as chunks (the original weights are views, not copies). */
  encode(): ProtoWriter {
    const unchanged = this.dropped.size === 0 && this.droppedInputs.size === 0 && this.prepended.length === 0;
    const graph = unchanged ? ProtoWriter.from(this.graph.data) : this.rewrittenGraph();
    for (const a of this.added) graph.message(a.field, a.message());
    return replaceGraph(this.modelFields, graph);
  }

  toBytes(): Uint8Array {
    return this.encode().toBytes();
  }

  private outputFields(): { readonly name: string; readonly field: Field }[] {
    return this.fieldsOf(GRAPH.output);
  }

  private fieldsOf(no: number): { readonly name: string; readonly field: Field }[] {
    return decodeFields(this.graph.data)
      .filter((f) => f.no === no && f.wire === WIRE_LEN)
      .map((field) => ({ name: valueInfoName(field), field }));
  }

  /** The graph's own fields less the removed inputs and outputs, after the prepended nodes. */
  private rewrittenGraph(): ProtoWriter {
    const w = new ProtoWriter();
    for (const n of this.prepended) w.message(GRAPH.node, encodeNode(n));
    for (const f of decodeFields(this.graph.data)) {
      if (f.wire === WIRE_LEN && f.no === GRAPH.output && this.dropped.has(valueInfoName(f))) continue;
      if (f.wire === WIRE_LEN && f.no === GRAPH.input && this.droppedInputs.has(valueInfoName(f))) continue;
      w.field(f);
    }
    return w;
  }

  private note(...names: string[]): void {
    if (this.knownNames) for (const n of names) this.knownNames.add(n);
  }
}

function valueInfoName(f: Field): string {
  const name = decodeFields(f.data).find((g) => g.no === VALUE_INFO.name && g.wire === WIRE_LEN);
  return name ? fieldString(name) : '';
}
