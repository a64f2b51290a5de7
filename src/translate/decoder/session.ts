/**
 * Direct access to the two ONNX Runtime sessions transformers.js opened for a Marian model: the
 * encoder (`model`) and the merged decoder (`decoder_model_merged`, one graph for the first step and
 * the cached steps, switched by `use_cache_branch`). The loops call them without transformers.js'
 * per-step bookkeeping so that they can drop and reorder batch rows between steps.
 */
import { Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { ModelError } from '../../errors.js';
import { FUSED } from './fused-graph.js';

/** The part of an onnxruntime Tensor the loops use (CPU tensors only). */
export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** `fetches`: the outputs wanted (null: ONNX Runtime allocates them); default all. */
  run(feeds: Record<string, OrtTensor>, fetches?: Record<string, null>): Promise<Record<string, OrtTensor>>;
}

/** Past key/value tensors by decoder input name (`past_key_values.<layer>.<decoder|encoder>.<key|value>`). */
export type KvCache = Map<string, OrtTensor>;

/** The token ids and sizes the loops need, resolved the way transformers.js' generate resolves them. */
export interface MarianSpec {
  readonly eosIds: ReadonlySet<number>;
  readonly decoderStartId: number;
  readonly padId: number;
  /** Token sequences that may not be generated (Marian: [[pad]]). */
  readonly badWordsIds: readonly (readonly number[])[];
  readonly heads: number;
  readonly headDim: number;
  /** config.vocab_size (undefined when the config has none: the fused selection is then not used). */
  readonly vocab: number | undefined;
}

interface ConfigLike {
  eos_token_id?: number | number[] | null;
  decoder_start_token_id?: number | null;
  bos_token_id?: number | null;
  pad_token_id?: number | null;
  bad_words_ids?: number[][] | null;
  decoder_attention_heads?: number;
  d_model?: number;
  vocab_size?: number;
}

export function ortTensor(type: 'int64' | 'float32' | 'bool', data: BigInt64Array | Float32Array | Uint8Array | boolean[], dims: number[]): OrtTensor {
  return new Tensor(type, data as never, dims).ort_tensor as unknown as OrtTensor;
}

export function floatData(t: OrtTensor, what: string): Float32Array {
  if (!(t.data instanceof Float32Array)) {
    throw new ModelError(`the decoder's ${what} is ${t.type}, expected float32; use an fp32 or q8 Marian export`, '(loaded model)');
  }
  return t.data;
}

/** Copies rows `rows` (in that order) of a tensor whose first dimension is the batch. */
export function gatherRows(t: OrtTensor, rows: readonly number[]): OrtTensor {
  const n = t.dims[0] ?? 0;
  if (rows.length === n && rows.every((r, i) => r === i)) return t;
  const rowSize = n === 0 ? 0 : (t.data as Float32Array | BigInt64Array).length / n;
  const dims = [rows.length, ...t.dims.slice(1)];
  if (t.data instanceof Float32Array) {
    const src = t.data;
    const out = new Float32Array(rows.length * rowSize);
    rows.forEach((r, i) => out.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
    return ortTensor('float32', out, dims);
  }
  if (t.data instanceof BigInt64Array) {
    const src = t.data;
    const out = new BigInt64Array(rows.length * rowSize);
    rows.forEach((r, i) => out.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
    return ortTensor('int64', out, dims);
  }
  throw new ModelError(`cannot reorder a ${t.type} tensor between decoding steps`, '(loaded model)');
}

/**
 * Row `i` of the result is row `rows[i]` of `t`, written over `t`'s own buffer: the tensor must be
 * one that nothing else holds (a decoder output, or an earlier result of this function). The cache
 * is the bulk of a step's memory traffic; fresh copies of it every step made the garbage collector
 * a tenth of beam time. A row is overwritten only once every row that reads it has been written, so
 * each moved row is copied once; only a cycle (rows swapping places) goes through `scratch`, one row
 * per cycle. More rows than `t` has (a sentence's first step growing into its beams) need a new buffer.
 */
export function reorderRowsInPlace(t: OrtTensor, rows: readonly number[], scratch: RowScratch): OrtTensor {
  const n = t.dims[0] ?? 0;
  const m = rows.length;
  if (!(t.data instanceof Float32Array) || m > n || n === 0) return gatherRows(t, rows);
  for (const r of rows) if (!Number.isInteger(r) || r < 0 || r >= n) throw new RangeError(`reorderRowsInPlace: row ${r} of a ${n}-row tensor`);
  const data = t.data;
  const size = data.length / n;
  // readers[r]: destinations not yet written that still need the current content of row r.
  const readers = new Int32Array(n);
  const pending = new Uint8Array(m);
  let left = 0;
  for (let i = 0; i < m; i++) {
    if (rows[i] === i) continue;
    pending[i] = 1;
    readers[rows[i]!] = readers[rows[i]!]! + 1;
    left++;
  }
  const ready: number[] = [];
  for (let i = 0; i < m; i++) if (pending[i] && readers[i] === 0) ready.push(i);
  let saved = -1;
  let buf: Float32Array | undefined;
  while (left > 0) {
    while (ready.length > 0) {
      const i = ready.pop()!;
      const src = rows[i]!;
      if (src === saved) data.set(buf!.subarray(0, size), i * size);
      else data.copyWithin(i * size, src * size, (src + 1) * size);
      pending[i] = 0;
      left--;
      if (--readers[src]! === 0 && src < m && pending[src]) ready.push(src);
    }
    if (left === 0) break;
    // What is left are cycles: save one row of one, after which the cycle unwinds as above.
    let i = 0;
    while (!pending[i]) i++;
    buf = scratch.get(size);
    buf.set(data.subarray(i * size, (i + 1) * size));
    saved = i;
    readers[i] = 0;
    ready.push(i);
  }
  if (m === n) return t;
  return ortTensor('float32', new Float32Array(data.buffer, data.byteOffset, m * size), [m, ...t.dims.slice(1)]);
}

/** A reusable float buffer for {@link reorderRowsInPlace}; grows, never shrinks. */
export class RowScratch {
  private buf = new Float32Array(0);

  get(size: number): Float32Array {
    if (this.buf.length < size) this.buf = new Float32Array(Math.ceil(size * 1.5));
    return this.buf;
  }
}

/**
 * The cache with the entries `names` reordered to `rows`. With `scratch`, in place (see
 * {@link reorderRowsInPlace}): only for caches whose tensors came out of the decoder.
 */
export function gatherCache(cache: KvCache, rows: readonly number[], names: readonly string[], scratch?: RowScratch): KvCache {
  const out: KvCache = new Map(cache);
  for (const name of names) {
    const t = cache.get(name)!;
    out.set(name, scratch ? reorderRowsInPlace(t, rows, scratch) : gatherRows(t, rows));
  }
  return out;
}

/**
 * What a step returns besides the cache. `logits`: every row's full logits (the decoder's plain
 * output). With a fused decoder (see fused-graph.ts) instead: `argmax`, each row's best token after
 * the graph's bad-word mask; `topk`, each row's k best masked logits (and, with `normaliser`, the
 * values from which its log-normaliser is computed).
 */
export type Selection =
  | { readonly kind: 'logits' }
  | { readonly kind: 'argmax' }
  | { readonly kind: 'topk'; readonly k: number; readonly normaliser: boolean };

export const FULL_LOGITS: Selection = { kind: 'logits' };

export interface DecoderStepOutput {
  /** [rows, 1, vocab] (selection 'logits' only) */
  readonly logits?: Float32Array;
  /** The same data as the decoder's output tensor, to hand on to ONNX Runtime without a copy. */
  readonly logitsTensor?: OrtTensor;
  readonly vocab?: number;
  /** [rows] (selection 'argmax') */
  readonly nextTokens?: BigInt64Array;
  /** [rows, k] raw logits, best first (bad words at -Infinity), and their token ids (selection 'topk'). */
  readonly topValues?: Float32Array;
  readonly topIndices?: BigInt64Array;
  /** [rows]: logit and log-probability of token 0, for the log-normaliser (topk with normaliser). */
  readonly firstLogit?: Float32Array;
  readonly firstLogprob?: Float32Array;
  /** The next step's cache: new self-attention entries; cross-attention entries from the first step. */
  readonly cache: KvCache;
}

/** The encoder and merged-decoder sessions of one loaded Marian model. */
export class MarianSessions {
  /** Self-attention cache inputs: grow by one position per step and follow the beams. */
  readonly selfNames: readonly string[];
  /** Cross-attention cache inputs: computed on the first step, constant per source sentence after. */
  readonly crossNames: readonly string[];
  /** The decoder graph carries the appended selection (fused-graph.ts). */
  readonly fused: boolean;
  /** Token ids the fused graph masks in every selection (the single-token bad words). */
  readonly maskedIds: ReadonlySet<number>;
  /** Bad words the loops still check in JavaScript: all of them, or with a fused graph the longer ones. */
  readonly jsBadWordsIds: readonly (readonly number[])[];
  /** First step: every present; cached steps: the self-attention presents only. */
  private readonly firstPresents: readonly string[];
  private readonly cachedPresents: readonly string[];

  private constructor(
    private readonly encoder: OrtSession,
    private readonly decoder: OrtSession,
    readonly spec: MarianSpec,
  ) {
    const past = decoder.inputNames.filter((n) => n.startsWith('past_key_values.'));
    this.selfNames = past.filter((n) => n.includes('.decoder.'));
    this.crossNames = past.filter((n) => n.includes('.encoder.'));
    this.firstPresents = decoder.outputNames.filter((n) => n.startsWith('present.'));
    this.cachedPresents = this.selfNames.map(presentName);
    this.fused = spec.vocab !== undefined && decoder.inputNames.includes(FUSED.selectK) && decoder.outputNames.includes(FUSED.topIndices);
    const single = spec.badWordsIds.filter((w) => w.length === 1).map((w) => w[0]!);
    this.maskedIds = new Set(this.fused ? single : []);
    this.jsBadWordsIds = this.fused ? spec.badWordsIds.filter((w) => w.length !== 1) : spec.badWordsIds;
    for (const name of ['input_ids', 'encoder_hidden_states', 'encoder_attention_mask', 'use_cache_branch']) {
      if (!decoder.inputNames.includes(name)) {
        throw new ModelError(`the merged decoder has no input '${name}'; dwibahasa's decoder needs an optimum merged-decoder export (or use decoder 'generate')`, '(loaded model)');
      }
    }
    for (const name of past) {
      if (!decoder.outputNames.includes(presentName(name))) {
        throw new ModelError(`the merged decoder has input '${name}' but no output '${presentName(name)}'`, '(loaded model)');
      }
    }
  }

  static of(model: PreTrainedModel): MarianSessions {
    const sessions = model.sessions as Record<string, OrtSession | undefined>;
    const encoder = sessions['model'];
    const decoder = sessions['decoder_model_merged'];
    if (!encoder || !decoder) {
      throw new ModelError(`the model has no encoder/merged-decoder sessions (found: ${Object.keys(sessions).join(', ')}); it must be a Marian seq2seq export`, '(loaded model)');
    }
    return new MarianSessions(encoder, decoder, resolveSpec(model));
  }

  async encode(inputIds: Tensor, attentionMask: Tensor): Promise<OrtTensor> {
    const feeds: Record<string, OrtTensor> = {
      input_ids: inputIds.ort_tensor as unknown as OrtTensor,
      attention_mask: attentionMask.ort_tensor as unknown as OrtTensor,
    };
    const out = await this.encoder.run(pick(feeds, this.encoder.inputNames, 'encoder'));
    const hidden = out['last_hidden_state'];
    if (!hidden) throw new ModelError(`the encoder has no output 'last_hidden_state'`, '(loaded model)');
    return hidden;
  }

  /** Empty caches for the first step: [rows, heads, 0, head_dim], as transformers.js builds them. */
  emptyCache(rows: number): KvCache {
    const cache: KvCache = new Map();
    for (const name of [...this.selfNames, ...this.crossNames]) {
      cache.set(name, ortTensor('float32', new Float32Array(0), [rows, this.spec.heads, 0, this.spec.headDim]));
    }
    return cache;
  }

  /**
   * One decoder step of one token per row. `first` selects the no-cache branch, which computes the
   * cross-attention keys/values from `hidden`; later steps reuse them from `cache`. `select` says
   * what leaves ONNX Runtime besides the cache (anything but full logits needs a fused decoder).
   */
  async step(tokens: BigInt64Array, hidden: OrtTensor, mask: OrtTensor, cache: KvCache, first: boolean, select: Selection = FULL_LOGITS): Promise<DecoderStepOutput> {
    const rows = tokens.length;
    const wanted = selectionOutputs(select);
    if (select.kind !== 'logits' && !this.fused) throw new RangeError(`selection '${select.kind}' needs a fused decoder`);
    const k = select.kind === 'topk' ? select.k : 1;
    const out = await this.runDecoder(ortTensor('int64', tokens, [rows, 1]), hidden, mask, cache, first, [...wanted, ...(first ? this.firstPresents : this.cachedPresents)], k);
    const next: KvCache = new Map();
    for (const name of this.selfNames) next.set(name, out[presentName(name)]!);
    // On cached steps the cross entries come back unchanged; keeping the inputs (as transformers.js
    // does) avoids holding two copies.
    for (const name of this.crossNames) next.set(name, first ? out[presentName(name)]! : cache.get(name)!);
    if (select.kind === 'argmax') {
      const t = out[FUSED.nextToken]!;
      if (!(t.data instanceof BigInt64Array) || t.data.length !== rows) throw new ModelError(`the fused decoder returned next tokens of shape [${t.dims.join(', ')}], expected [${rows}, 1]`, '(loaded model)');
      return { nextTokens: t.data, cache: next };
    }
    if (select.kind === 'topk') {
      const v = out[FUSED.topValues]!;
      const i = out[FUSED.topIndices]!;
      if (!(i.data instanceof BigInt64Array) || i.data.length !== rows * k) throw new ModelError(`the fused decoder returned top-k ids of shape [${i.dims.join(', ')}], expected [${rows}, 1, ${k}]`, '(loaded model)');
      const normaliser = select.normaliser ? { firstLogit: floatData(out[FUSED.firstLogit]!, 'first logit'), firstLogprob: floatData(out[FUSED.firstLogprob]!, 'first log-probability') } : {};
      return { topValues: floatData(v, 'top-k values'), topIndices: i.data, ...normaliser, cache: next };
    }
    const logitsT = out['logits']!;
    const dims = logitsT.dims;
    if (dims.length !== 3 || dims[0] !== rows || dims[1] !== 1) {
      throw new ModelError(`the decoder returned logits of shape [${dims.join(', ')}], expected [${rows}, 1, vocab]`, '(loaded model)');
    }
    return { logits: floatData(logitsT, 'logits'), logitsTensor: logitsT, vocab: dims[2]!, cache: next };
  }

  /** Whole decoder input sequences at once (no cache): logits [rows, width, vocab]. */
  async forward(ids: OrtTensor, hidden: OrtTensor, mask: OrtTensor): Promise<Float32Array> {
    const out = await this.runDecoder(ids, hidden, mask, this.emptyCache(ids.dims[0] ?? 0), true, ['logits'], 1);
    return floatData(out['logits']!, 'logits');
  }

  private async runDecoder(ids: OrtTensor, hidden: OrtTensor, mask: OrtTensor, cache: KvCache, first: boolean, outputs: readonly string[], k: number): Promise<Record<string, OrtTensor>> {
    const feeds: Record<string, OrtTensor> = {
      input_ids: ids,
      encoder_hidden_states: hidden,
      encoder_attention_mask: mask,
      use_cache_branch: ortTensor('bool', [!first], [1]),
    };
    if (this.fused) feeds[FUSED.selectK] = ortTensor('int64', BigInt64Array.of(BigInt(k)), [1]);
    for (const [name, t] of cache) feeds[name] = t;
    // Only what the loop reads leaves ONNX Runtime (and ONNX Runtime runs only the nodes those
    // outputs need): cached steps return the cross-attention entries unchanged, and a fused step's
    // selection replaces the full logits.
    const fetches = Object.fromEntries(outputs.map((n) => [n, null]));
    const out = await this.decoder.run(pick(feeds, this.decoder.inputNames, 'merged decoder'), fetches);
    for (const n of outputs) if (!out[n]) throw new ModelError(`the merged decoder has no output '${n}'`, '(loaded model)');
    return out;
  }
}

function selectionOutputs(select: Selection): string[] {
  switch (select.kind) {
    case 'logits':
      return ['logits'];
    case 'argmax':
      return [FUSED.nextToken];
    case 'topk':
      return [FUSED.topValues, FUSED.topIndices, ...(select.normaliser ? [FUSED.firstLogit, FUSED.firstLogprob] : [])];
  }
}

function presentName(pastName: string): string {
  return pastName.replace('past_key_values', 'present');
}

function pick(feeds: Record<string, OrtTensor>, names: readonly string[], session: string): Record<string, OrtTensor> {
  const out: Record<string, OrtTensor> = {};
  for (const name of names) {
    const t = feeds[name];
    if (!t) throw new ModelError(`the ${session} wants an input '${name}' that a Marian model does not have; use decoder 'generate' for this model`, '(loaded model)');
    out[name] = t;
  }
  return out;
}

/** Model config overlaid with generation_config.json, as transformers.js' _prepare_generation_config does. */
function resolveSpec(model: PreTrainedModel): MarianSpec {
  const config = model.config as unknown as ConfigLike;
  const gen = ((model as unknown as { generation_config?: ConfigLike | null }).generation_config ?? {}) as ConfigLike;
  const merged: ConfigLike = { ...config, ...stripUndefined(gen) };
  const eos = merged.eos_token_id;
  if (eos === null || eos === undefined) throw new ModelError('the model config has no eos_token_id', '(loaded model)');
  const decoderStartId = merged.decoder_start_token_id ?? merged.bos_token_id;
  if (decoderStartId === null || decoderStartId === undefined) {
    throw new ModelError('the model config has neither decoder_start_token_id nor bos_token_id', '(loaded model)');
  }
  const heads = config.decoder_attention_heads;
  const dModel = config.d_model;
  if (!heads || !dModel || dModel % heads !== 0) {
    throw new ModelError(`config.json has decoder_attention_heads=${heads} and d_model=${dModel}; both are needed and d_model must divide by the heads`, '(loaded model)');
  }
  return {
    eosIds: new Set([eos].flat()),
    decoderStartId,
    padId: merged.pad_token_id ?? decoderStartId,
    badWordsIds: merged.bad_words_ids ?? [],
    heads,
    headDim: dModel / heads,
    vocab: config.vocab_size,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
