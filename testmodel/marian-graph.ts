/**
 * Marian (BART-style, post-LayerNorm) encoder and merged decoder as ONNX graphs, with the input and
 * output names, dtypes and dims of the optimum / transformers.js opus-mt exports.
 */
import { GraphBuilder } from './graph-builder.js';
import type { GraphDef, ValueInfo } from '../src/onnx/build.js';
import { transpose, type AttentionWeights, type LayerNormWeights, type MarianWeights } from './weights.js';

/** Added to masked attention scores: finite so fully masked rows never turn into NaN. */
const MASKED = -1e9;
/** The eos switch for --eos-at-input-length: large enough to decide greedy and beam choices alone. */
const EOS_SWITCH = 1e4;
const LN_EPSILON = 1e-5;

export interface DecoderGraphOptions {
  readonly quantized: boolean;
  readonly eosId: number;
  readonly eosAtInputLength: boolean;
}

interface Ctx {
  readonly g: GraphBuilder;
  readonly heads: number;
  readonly headDim: number;
}

/** [B, T, D] -> [B, H, T, hd] */
function splitHeads(c: Ctx, x: string): string {
  const r = c.g.op('Reshape', [x, c.g.constInt64([0, 0, c.heads, c.headDim])]);
  return c.g.op('Transpose', [r], { perm: [0, 2, 1, 3] });
}

/** softmax(q k^T * hd^-0.5 + bias) v, heads merged back and projected: [B, T, D]. */
function attend(c: Ctx, q: string, k: string, v: string, bias: string, w: AttentionWeights, name: string): string {
  const g = c.g;
  const qs = g.op('Mul', [q, g.constFloat([1 / Math.sqrt(c.headDim)], [])]);
  const kt = g.op('Transpose', [k], { perm: [0, 1, 3, 2] });
  const scores = g.op('Add', [g.op('MatMul', [qs, kt]), bias]);
  const probs = g.op('Softmax', [scores], { axis: -1 });
  const ctx = g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
  const merged = g.op('Reshape', [ctx, g.constInt64([0, 0, c.heads * c.headDim])]);
  return g.linear(merged, w.o, `${name}.out_proj`);
}

function layerNorm(g: GraphBuilder, x: string, w: LayerNormWeights, name: string): string {
  const gamma = g.floatTensor(`${name}.weight`, [w.gamma.length], w.gamma);
  const beta = g.floatTensor(`${name}.bias`, [w.beta.length], w.beta);
  return g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: { float: LN_EPSILON } });
}

function ffn(g: GraphBuilder, x: string, fc1: AttentionWeights['q'], fc2: AttentionWeights['q'], name: string): string {
  const h = g.linear(x, fc1, `${name}.fc1`);
  const act = g.op('Mul', [h, g.op('Sigmoid', [h])]); // swish
  return g.linear(act, fc2, `${name}.fc2`);
}

/** embed(ids) * sqrt(d_model) + positions[start : start + T]. */
function embed(g: GraphBuilder, w: MarianWeights, ids: string, start: string, prefix: string): string {
  const d = w.dims.dModel;
  const tok = g.op('Mul', [g.embedding(w.embed, ids, `${prefix}.embed_tokens.weight`), g.constFloat([Math.sqrt(d)], [])]);
  const len = g.op('Shape', [ids], { start: 1, end: 2 });
  const end = g.op('Add', [start, len]);
  const posTable = g.floatTensor(`${prefix}.embed_positions.weight`, [w.positions.rows, d], w.positions.data);
  const pos = g.op('Slice', [posTable, start, end, g.constInt64([0])]);
  return g.op('Add', [tok, pos]);
}

/** int64 mask [B, S] (1 = token) -> additive float bias [B, 1, 1, S]. */
function keyPaddingBias(g: GraphBuilder, mask: string): string {
  const m = g.op('Cast', [mask], { to: 1 });
  const inv = g.op('Sub', [g.constFloat([1], []), m]);
  const bias = g.op('Mul', [inv, g.constFloat([MASKED], [])]);
  return g.op('Unsqueeze', [bias, g.constInt64([1, 2])]);
}

export function buildEncoderGraph(w: MarianWeights, quantized: boolean): GraphDef {
  const g = new GraphBuilder(quantized);
  const { dModel: d, encoderHeads: heads } = w.dims;
  const c: Ctx = { g, heads, headDim: d / heads };
  let x = embed(g, w, 'input_ids', g.constInt64([0]), 'model.encoder');
  const bias = keyPaddingBias(g, 'attention_mask');
  w.encoder.forEach((L, i) => {
    const p = `model.encoder.layers.${i}`;
    const q = splitHeads(c, g.linear(x, L.selfAttn.q, `${p}.self_attn.q_proj`));
    const k = splitHeads(c, g.linear(x, L.selfAttn.k, `${p}.self_attn.k_proj`));
    const v = splitHeads(c, g.linear(x, L.selfAttn.v, `${p}.self_attn.v_proj`));
    x = layerNorm(g, g.op('Add', [x, attend(c, q, k, v, bias, L.selfAttn, `${p}.self_attn`)]), L.selfAttnNorm, `${p}.self_attn_layer_norm`);
    x = layerNorm(g, g.op('Add', [x, ffn(g, x, L.fc1, L.fc2, p)]), L.finalNorm, `${p}.final_layer_norm`);
  });
  g.op('Identity', [x], {}, 'last_hidden_state');
  const inputs: ValueInfo[] = [
    { name: 'input_ids', elemType: 'int64', shape: ['batch_size', 'encoder_sequence_length'] },
    { name: 'attention_mask', elemType: 'int64', shape: ['batch_size', 'encoder_sequence_length'] },
  ];
  const outputs: ValueInfo[] = [
    { name: 'last_hidden_state', elemType: 'float', shape: ['batch_size', 'encoder_sequence_length', d] },
  ];
  return g.build('main_graph', inputs, outputs);
}

export function decoderInputs(w: MarianWeights): ValueInfo[] {
  const { dModel: d, decoderHeads: h, decoderLayers } = w.dims;
  const hd = d / h;
  const inputs: ValueInfo[] = [
    { name: 'encoder_attention_mask', elemType: 'int64', shape: ['batch_size', 'encoder_sequence_length'] },
    { name: 'input_ids', elemType: 'int64', shape: ['batch_size', 'decoder_sequence_length'] },
    { name: 'encoder_hidden_states', elemType: 'float', shape: ['batch_size', 'encoder_sequence_length', d] },
  ];
  // H and head_dim must be fixed numbers: transformers.js builds the empty first-step cache from
  // these shapes and resolves only `batch_size` (any other symbol becomes 0).
  for (let i = 0; i < decoderLayers; i++) {
    for (const kind of ['decoder', 'encoder'] as const) {
      const len = kind === 'decoder' ? 'past_decoder_sequence_length' : 'encoder_sequence_length_out';
      for (const kv of ['key', 'value']) {
        inputs.push({ name: `past_key_values.${i}.${kind}.${kv}`, elemType: 'float', shape: ['batch_size', h, len, hd] });
      }
    }
  }
  inputs.push({ name: 'use_cache_branch', elemType: 'bool', shape: [1] });
  return inputs;
}

export function buildDecoderGraph(w: MarianWeights, opts: DecoderGraphOptions): GraphDef {
  const g = new GraphBuilder(opts.quantized);
  const { dModel: d, decoderHeads: heads, vocabSize: vocab, decoderLayers } = w.dims;
  const hd = d / heads;

  // As optimum's merged decoder: one If whose branches are the whole decoder, with the cache
  // (use_cache_branch) and without it (first step), over the same weights. The cached branch reads
  // the cross-attention keys/values straight from past_key_values.*.encoder.* and returns empty
  // constants for present.*.encoder.* (optimum's _unify_onnx_outputs), so nothing copies that
  // cache on a cached step; callers keep the first step's cross entries (transformers.js does).
  const cached = decoderBody(g.subgraph(), w, true);
  const first = decoderBody(g.subgraph(), w, false);
  const presents: ValueInfo[] = [];
  for (let i = 0; i < decoderLayers; i++) {
    for (const kind of ['decoder', 'encoder'] as const) {
      const len = kind === 'decoder' ? 'present_decoder_sequence_length' : 'encoder_sequence_length_out';
      for (const kv of ['key', 'value']) presents.push({ name: `present.${i}.${kind}.${kv}`, elemType: 'float', shape: ['batch_size', heads, len, hd] });
    }
  }
  const rawLogits = opts.eosAtInputLength ? g.fresh('lm_logits') : 'logits';
  g.opN(
    'If',
    ['use_cache_branch'],
    presents.length + 1,
    { then_branch: cached.graph.buildSubgraph('use_cache', cached.outputs), else_branch: first.graph.buildSubgraph('no_cache', first.outputs) },
    [rawLogits, ...presents.map((p) => p.name)],
  );
  if (opts.eosAtInputLength) {
    const pastLen = g.op('Shape', ['past_key_values.0.decoder.key'], { start: 2, end: 3 });
    g.op('Identity', [addEosSwitch(g, rawLogits, queryPositions(g, pastLen).qPos, vocab, opts.eosId)], {}, 'logits');
  }
  const outputs: ValueInfo[] = [
    { name: 'logits', elemType: 'float', shape: ['batch_size', 'decoder_sequence_length', vocab] },
    ...presents,
  ];
  return g.build('main_graph', decoderInputs(w), outputs);
}

/** Absolute positions [T] of the decoder input rows after `pastLen` cached positions, and past + T. */
function queryPositions(g: GraphBuilder, pastLen: string): { qPos: string; total: string } {
  const seqLen = g.op('Shape', ['input_ids'], { start: 1, end: 2 });
  const pastScalar = g.op('Squeeze', [pastLen]);
  const total = g.op('Squeeze', [g.op('Add', [pastLen, seqLen])]);
  return { qPos: g.op('Range', [pastScalar, total, g.constInt64([1], [])]), total };
}

/** One branch of the merged decoder: logits and presents, in the order of the decoder's outputs. */
function decoderBody(g: GraphBuilder, w: MarianWeights, withPast: boolean): { graph: GraphBuilder; outputs: ValueInfo[] } {
  const { decoderHeads: heads, decoderLayers } = w.dims;
  const hd = w.dims.dModel / heads;
  const c: Ctx = { g, heads, headDim: hd };
  const pastLen = withPast ? g.op('Shape', ['past_key_values.0.decoder.key'], { start: 2, end: 3 }) : g.constInt64([0]);
  let x = embed(g, w, 'input_ids', pastLen, 'model.decoder');

  // Absolute positions of the query rows and of all keys (past + new), for the causal mask.
  const { qPos, total } = queryPositions(g, pastLen);
  const kPos = g.op('Range', [g.constInt64([0], []), total, g.constInt64([1], [])]); // [past + T]
  const allowed = g.op('LessOrEqual', [g.op('Unsqueeze', [kPos, g.constInt64([0])]), g.op('Unsqueeze', [qPos, g.constInt64([1])])]);
  const causalBias = g.op('Where', [allowed, g.constFloat([0], []), g.constFloat([MASKED], [])]); // [T, past + T]
  const crossBias = keyPaddingBias(g, 'encoder_attention_mask');
  const empty = g.constFloat([], [0, heads, 1, hd]);

  const outputs: ValueInfo[] = [];
  const presents: ValueInfo[] = [];
  for (let i = 0; i < decoderLayers; i++) {
    const L = w.decoder[i]!;
    const p = `model.decoder.layers.${i}`;
    const q = splitHeads(c, g.linear(x, L.selfAttn.q, `${p}.self_attn.q_proj`));
    const kNew = splitHeads(c, g.linear(x, L.selfAttn.k, `${p}.self_attn.k_proj`));
    const vNew = splitHeads(c, g.linear(x, L.selfAttn.v, `${p}.self_attn.v_proj`));
    const k = withPast ? g.op('Concat', [`past_key_values.${i}.decoder.key`, kNew], { axis: 2 }) : kNew;
    const v = withPast ? g.op('Concat', [`past_key_values.${i}.decoder.value`, vNew], { axis: 2 }) : vNew;
    x = layerNorm(g, g.op('Add', [x, attend(c, q, k, v, causalBias, L.selfAttn, `${p}.self_attn`)]), L.selfAttnNorm, `${p}.self_attn_layer_norm`);

    const ck = withPast ? `past_key_values.${i}.encoder.key` : splitHeads(c, g.linear('encoder_hidden_states', L.crossAttn.k, `${p}.encoder_attn.k_proj`));
    const cv = withPast ? `past_key_values.${i}.encoder.value` : splitHeads(c, g.linear('encoder_hidden_states', L.crossAttn.v, `${p}.encoder_attn.v_proj`));
    const cq = splitHeads(c, g.linear(x, L.crossAttn.q, `${p}.encoder_attn.q_proj`));
    x = layerNorm(g, g.op('Add', [x, attend(c, cq, ck, cv, crossBias, L.crossAttn, `${p}.encoder_attn`)]), L.crossAttnNorm, `${p}.encoder_attn_layer_norm`);
    x = layerNorm(g, g.op('Add', [x, ffn(g, x, L.fc1, L.fc2, p)]), L.finalNorm, `${p}.final_layer_norm`);

    // A branch output must be a value the branch produces: the outer-scope constant goes through an
    // Identity (of nothing: it is empty).
    const out = (value: string): void => void presents.push({ name: value === empty ? g.op('Identity', [value]) : value, elemType: 'float' });
    out(k);
    out(v);
    out(withPast ? empty : ck);
    out(withPast ? empty : cv);
  }
  // Tied output projection, stored transposed as a separate initializer like the real export.
  const logits = g.linear(x, { weight: transpose(w.embed), bias: w.finalLogitsBias }, 'lm_head');
  outputs.push({ name: logits, elemType: 'float' }, ...presents);
  return { graph: g, outputs };
}

/**
 * Test-only: push "</s>" down before position (source tokens - 1) and up at it, per row, so greedy
 * output length is a known function of the (unpadded) input length.
 */
function addEosSwitch(g: GraphBuilder, logits: string, qPos: string, vocab: number, eosId: number): string {
  const srcLen = g.op('ReduceSum', ['encoder_attention_mask', g.constInt64([1])], { keepdims: 1 }); // [B, 1]
  const target = g.op('Sub', [srcLen, g.constInt64([1], [])]);
  const pos = g.op('Unsqueeze', [qPos, g.constInt64([0])]); // [1, T]
  const at = g.op('Equal', [pos, target]); // [B, T]
  const before = g.op('Less', [pos, target]);
  const inner = g.op('Where', [before, g.constFloat([-EOS_SWITCH], []), g.constFloat([0], [])]);
  const delta = g.op('Where', [at, g.constFloat([EOS_SWITCH], []), inner]);
  const onehot = new Array<number>(vocab).fill(0);
  onehot[eosId] = 1;
  const eosMask = g.constFloat(onehot, [vocab]);
  const add = g.op('Mul', [g.op('Unsqueeze', [delta, g.constInt64([2])]), eosMask]); // [B, T, V]
  return g.op('Add', [logits, add]);
}
