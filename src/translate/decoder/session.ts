/**
 * Direct access to the two ONNX Runtime sessions transformers.js opened for a Marian model: the
 * encoder (`model`) and the merged decoder (`decoder_model_merged`, one graph for the first step and
 * the cached steps, switched by `use_cache_branch`). The loops call them without transformers.js'
 * per-step bookkeeping so that they can drop and reorder batch rows between steps.
 */
import { Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { ModelError } from '../../errors.js';

/** The part of an onnxruntime Tensor the loops use (CPU tensors only). */
export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
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
}

interface ConfigLike {
  eos_token_id?: number | number[] | null;
  decoder_start_token_id?: number | null;
  bos_token_id?: number | null;
  pad_token_id?: number | null;
  bad_words_ids?: number[][] | null;
  decoder_attention_heads?: number;
  d_model?: number;
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

export function gatherCache(cache: KvCache, rows: readonly number[], names: readonly string[]): KvCache {
  const out: KvCache = new Map(cache);
  for (const name of names) out.set(name, gatherRows(cache.get(name)!, rows));
  return out;
}

export interface DecoderStepOutput {
  /** [rows, 1, vocab] */
  readonly logits: Float32Array;
  readonly vocab: number;
  /** The next step's cache: new self-attention entries; cross-attention entries from the first step. */
  readonly cache: KvCache;
}

/** The encoder and merged-decoder sessions of one loaded Marian model. */
export class MarianSessions {
  /** Self-attention cache inputs: grow by one position per step and follow the beams. */
  readonly selfNames: readonly string[];
  /** Cross-attention cache inputs: computed on the first step, constant per source sentence after. */
  readonly crossNames: readonly string[];

  private constructor(
    private readonly encoder: OrtSession,
    private readonly decoder: OrtSession,
    readonly spec: MarianSpec,
  ) {
    const past = decoder.inputNames.filter((n) => n.startsWith('past_key_values.'));
    this.selfNames = past.filter((n) => n.includes('.decoder.'));
    this.crossNames = past.filter((n) => n.includes('.encoder.'));
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
   * cross-attention keys/values from `hidden`; later steps reuse them from `cache`.
   */
  async step(tokens: BigInt64Array, hidden: OrtTensor, mask: OrtTensor, cache: KvCache, first: boolean): Promise<DecoderStepOutput> {
    const out = await this.runDecoder(ortTensor('int64', tokens, [tokens.length, 1]), hidden, mask, cache, first);
    const logitsT = out['logits']!;
    const next: KvCache = new Map();
    for (const name of this.selfNames) next.set(name, out[presentName(name)]!);
    // On cached steps the cross entries come back unchanged; keeping the inputs (as transformers.js
    // does) avoids holding two copies.
    for (const name of this.crossNames) next.set(name, first ? out[presentName(name)]! : cache.get(name)!);
    const dims = logitsT.dims;
    if (dims.length !== 3 || dims[0] !== tokens.length || dims[1] !== 1) {
      throw new ModelError(`the decoder returned logits of shape [${dims.join(', ')}], expected [${tokens.length}, 1, vocab]`, '(loaded model)');
    }
    return { logits: floatData(logitsT, 'logits'), vocab: dims[2]!, cache: next };
  }

  /** Whole decoder input sequences at once (no cache): logits [rows, width, vocab]. */
  async forward(ids: OrtTensor, hidden: OrtTensor, mask: OrtTensor): Promise<Float32Array> {
    const out = await this.runDecoder(ids, hidden, mask, this.emptyCache(ids.dims[0] ?? 0), true);
    return floatData(out['logits']!, 'logits');
  }

  private async runDecoder(ids: OrtTensor, hidden: OrtTensor, mask: OrtTensor, cache: KvCache, first: boolean): Promise<Record<string, OrtTensor>> {
    const feeds: Record<string, OrtTensor> = {
      input_ids: ids,
      encoder_hidden_states: hidden,
      encoder_attention_mask: mask,
      use_cache_branch: ortTensor('bool', [!first], [1]),
    };
    for (const [name, t] of cache) feeds[name] = t;
    const out = await this.decoder.run(pick(feeds, this.decoder.inputNames, 'merged decoder'));
    if (!out['logits']) throw new ModelError(`the merged decoder has no output 'logits'`, '(loaded model)');
    return out;
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
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
