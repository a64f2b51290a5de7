/**
 * Incremental ONNX graph construction: fresh value names, deduplicated constants, and a `linear`
 * that emits either a float MatMul or the dynamic-int8 pattern of quantize_dynamic.
 */
import {
  floatBytes,
  int64Bytes,
  type Attribute,
  type ElemType,
  type GraphDef,
  type NodeDef,
  type TensorData,
  type ValueInfo,
} from '../src/onnx/build.js';
import { quantizeSymmetricInt8 } from './quantize.js';

/** A dense weight matrix stored [in, out] so that y = x @ w. */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

export interface Linear {
  readonly weight: Matrix;
  readonly bias?: Float32Array;
}

type AttrValue = number | readonly number[] | GraphDef | { readonly float: number };

/** Shared between a graph and its If-branch subgraphs so that value names never collide. */
class NameSource {
  private readonly used = new Map<string, number>();
  fresh(hint: string): string {
    const n = this.used.get(hint) ?? 0;
    this.used.set(hint, n + 1);
    return `/${hint}_${n}`;
  }
}

export class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  /** Initializers live in the root builder; subgraphs reference them through the outer scope. */
  private readonly initializers: TensorData[];
  /** Named weights already added: both branches of the merged decoder read the same ones. */
  private readonly named: Set<string>;
  private readonly constCache: Map<string, string>;
  /** One DynamicQuantizeLinear per activation, shared by every MatMul reading it (as quantize_dynamic does). */
  private readonly dqlCache = new Map<string, readonly [string, string, string]>();

  constructor(
    readonly quantized: boolean,
    private readonly names: NameSource = new NameSource(),
    root?: GraphBuilder,
  ) {
    this.initializers = root ? root.initializers : [];
    this.named = root ? root.named : new Set();
    this.constCache = root ? root.constCache : new Map();
  }

  /** A builder for an If branch: same names, same initializer pool, its own node list. */
  subgraph(): GraphBuilder {
    return new GraphBuilder(this.quantized, this.names, this);
  }

  fresh(hint: string): string {
    return this.names.fresh(hint);
  }

  /** Adds a node; returns its output names (fresh ones unless `outputs` is given). */
  opN(opType: string, inputs: readonly string[], count: number, attrs: Record<string, AttrValue> = {}, outputs?: readonly string[]): string[] {
    const outs = outputs ? [...outputs] : Array.from({ length: count }, () => this.fresh(`${opType}_out`));
    this.nodes.push({
      name: this.fresh(opType),
      opType,
      inputs,
      outputs: outs,
      attributes: Object.entries(attrs).map(([name, v]) => toAttribute(name, v)),
    });
    return outs;
  }

  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.opN(opType, inputs, 1, attrs, output === undefined ? undefined : [output])[0] as string;
  }

  addInitializer(name: string, elemType: ElemType, dims: readonly number[], raw: Uint8Array): string {
    if (this.named.has(name)) throw new Error(`initializer "${name}" added twice`);
    this.named.add(name);
    this.initializers.push({ name, elemType, dims, raw });
    return name;
  }

  /** A named weight, added once: a second call with the same name (the other branch) reuses it. */
  private weight(name: string, add: () => string): string {
    return this.named.has(name) ? name : add();
  }

  floatTensor(name: string, dims: readonly number[], data: Float32Array): string {
    return this.weight(name, () => this.addInitializer(name, 'float', dims, floatBytes(data)));
  }

  /** A small constant initializer, shared by value. */
  constFloat(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant('float', values, dims, () => floatBytes(Float32Array.from(values)));
  }

  constInt64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant('int64', values, dims, () => int64Bytes(values));
  }

  private constant(elemType: ElemType, values: readonly number[], dims: readonly number[], bytes: () => Uint8Array): string {
    const key = `${elemType}:${dims.join('x')}:${values.join(',')}`;
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const name = this.fresh(`const_${elemType}`);
    this.addInitializer(name, elemType, dims, bytes());
    this.constCache.set(key, name);
    return name;
  }

  /** y = x @ W (+ b), as float MatMul or as DynamicQuantizeLinear + MatMulInteger + Cast + Mul. */
  linear(x: string, lin: Linear, name: string): string {
    const { weight, bias } = lin;
    let y: string;
    if (!this.quantized) {
      const w = this.floatTensor(`${name}.weight`, [weight.rows, weight.cols], weight.data);
      y = this.op('MatMul', [x, w]);
    } else {
      const [wq, ws, wzp] = this.quantizedWeight(name, weight.data, [weight.rows, weight.cols], '.weight');
      let dq = this.dqlCache.get(x);
      if (!dq) {
        const [xq, xs, xzp] = this.opN('DynamicQuantizeLinear', [x], 3) as [string, string, string];
        dq = [xq, xs, xzp];
        this.dqlCache.set(x, dq);
      }
      const acc = this.op('MatMulInteger', [dq[0], wq, dq[2], wzp]);
      const accF = this.op('Cast', [acc], { to: 1 });
      const scale = this.op('Mul', [dq[1], ws]);
      y = this.op('Mul', [accF, scale]);
    }
    if (bias) y = this.op('Add', [y, this.floatTensor(`${name}.bias`, [bias.length], bias)]);
    return y;
  }

  /** Gather rows of `table` by `ids`; quantized as GatherQuant does: int8 Gather + DequantizeLinear. */
  embedding(table: Matrix, ids: string, name: string): string {
    const dims = [table.rows, table.cols];
    if (!this.quantized) return this.op('Gather', [this.floatTensor(name, dims, table.data), ids]);
    const [tq, ts, tzp] = this.quantizedWeight(name, table.data, dims, '');
    return this.op('DequantizeLinear', [this.op('Gather', [tq, ids]), ts, tzp]);
  }

  /** int8 data, scale and zero point of a weight (quantize_dynamic's names), added once. */
  private quantizedWeight(name: string, data: Float32Array, dims: readonly number[], stem: string): [string, string, string] {
    const names: [string, string, string] = [`${name}${stem}_quantized`, `${name}${stem}_scale`, `${name}${stem}_zero_point`];
    if (this.named.has(names[0])) return names;
    const q = quantizeSymmetricInt8(data);
    this.addInitializer(names[0], 'int8', dims, new Uint8Array(q.data.buffer));
    this.addInitializer(names[1], 'float', [], floatBytes(Float32Array.of(q.scale)));
    this.addInitializer(names[2], 'int8', [], new Uint8Array(1));
    return names;
  }

  build(name: string, inputs: readonly ValueInfo[], outputs: readonly ValueInfo[]): GraphDef {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs, outputs };
  }

  /** Subgraphs carry no initializers of their own (they read the root's through outer scope). */
  buildSubgraph(name: string, outputs: readonly ValueInfo[]): GraphDef {
    return { name, nodes: this.nodes, initializers: [], inputs: [], outputs };
  }
}

function toAttribute(name: string, v: AttrValue): Attribute {
  if (typeof v === 'number') return { name, kind: 'int', value: v };
  if (isNumberArray(v)) return { name, kind: 'ints', value: v };
  if ('float' in v) return { name, kind: 'float', value: v.float };
  return { name, kind: 'graph', value: v };
}

function isNumberArray(v: AttrValue): v is readonly number[] {
  return Array.isArray(v);
}
