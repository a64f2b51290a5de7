/**
 * Direct access to the two ONNX Runtime sessions transformers.js opened for a Marian model: the
 * encoder (`model`) and the merged decoder (`decoder_model_merged`, one graph for the first step and
 * the cached steps, switched by `use_cache_branch`). The loops call them without transformers.js'
 * per-step bookkeeping so that they can drop and reorder batch rows between steps.
 */
import { ModelError } from '../../errors.js';
import { CACHE, presentName } from './cache-graph.js';
import { FUSED } from './fused-graph.js';
import { OwnedCache, PresentCache, type CacheShape, type SelfCache } from './self-cache.js';
import { floatData, ortTensor, type KvCache, type OrtTensor } from './tensors.js';
import type { MarianModel } from './types.js';

interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** `fetches`: the outputs wanted (null: ONNX Runtime allocates them); default all. */
  run(feeds: Record<string, OrtTensor>, fetches?: Record<string, null>): Promise<Record<string, OrtTensor>>;
}

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

/**
 * What a step returns besides the cache. `logits`: every row's full logits (the decoder's plain
 * output). With a fused decoder (see fused-graph.ts) instead: `topk`, each row's k best masked
 * logits (and, with `normaliser`, the values from which its log-normaliser is computed).
 */
export type Selection = { readonly kind: 'logits' } | { readonly kind: 'topk'; readonly k: number; readonly normaliser: boolean };

export const FULL_LOGITS: Selection = { kind: 'logits' };

export interface DecoderStepOutput {
  /** [rows, 1, vocab] (selection 'logits' only) */
  readonly logits?: Float32Array;
  /** The same data as the decoder's output tensor, to hand on to ONNX Runtime without a copy. */
  readonly logitsTensor?: OrtTensor;
  readonly vocab?: number;
  /** [rows, k] raw logits, best first (bad words at -Infinity), and their token ids (selection 'topk'). */
  readonly topValues?: Float32Array;
  readonly topIndices?: BigInt64Array;
  /** [rows]: logit and log-probability of token 0, for the log-normaliser (topk with normaliser). */
  readonly firstLogit?: Float32Array;
  readonly firstLogprob?: Float32Array;
  /** The cross-attention cache for the next step: the first step's entries. */
  readonly cross: KvCache;
  /** What SelfCache.advance takes: the step's self-attention outputs. */
  readonly selfOut: Readonly<Record<string, OrtTensor>>;
}

/** The encoder and merged-decoder sessions of one loaded Marian model. */
export class MarianSessions {
  /** Self-attention cache inputs (`past_key_values.*.decoder.*`): grow by one position per step and follow the beams. */
  readonly selfNames: readonly string[];
  /** Cross-attention cache inputs: computed on the first step, constant per source sentence after. */
  readonly crossNames: readonly string[];
  /** The decoder graph carries the appended selection (fused-graph.ts). */
  readonly fused: boolean;
  /** The decoder takes its self-attention cache from buffers of the caller's (cache-graph.ts). */
  readonly ownCache: boolean;
  /** Token ids the fused graph masks in every selection (the single-token bad words). */
  readonly maskedIds: ReadonlySet<number>;
  /** Bad words the loops still check in JavaScript: all of them, or with a fused graph the longer ones. */
  readonly jsBadWordsIds: readonly (readonly number[])[];
  private readonly crossPresents: readonly string[];
  private readonly cacheShape: CacheShape;

  private constructor(
    private readonly encoder: OrtSession,
    private readonly decoder: OrtSession,
    readonly spec: MarianSpec,
  ) {
    const inputs = decoder.inputNames;
    this.ownCache = inputs.includes(CACHE.pastLength);
    const past = inputs.filter((n) => n.startsWith('past_key_values.'));
    this.selfNames = this.ownCache
      ? inputs.filter((n) => n.startsWith('dwb_cache.')).map((n) => n.replace(/^dwb_cache\./, 'past_key_values.'))
      : past.filter((n) => n.includes('.decoder.'));
    this.crossNames = past.filter((n) => n.includes('.encoder.'));
    this.crossPresents = this.crossNames.map(presentName);
    this.cacheShape = { names: this.selfNames, heads: spec.heads, headDim: spec.headDim };
    this.fused = spec.vocab !== undefined && inputs.includes(FUSED.selectK) && decoder.outputNames.includes(FUSED.topIndices);
    const single = spec.badWordsIds.filter((w) => w.length === 1).map((w) => w[0]!);
    this.maskedIds = new Set(this.fused ? single : []);
    this.jsBadWordsIds = this.fused ? spec.badWordsIds.filter((w) => w.length !== 1) : spec.badWordsIds;
    for (const name of ['input_ids', 'encoder_hidden_states', 'encoder_attention_mask', 'use_cache_branch']) {
      if (!inputs.includes(name)) {
        throw new ModelError(`the merged decoder has no input '${name}'; dwibahasa's decoder needs an optimum merged-decoder export (or use decoder 'generate')`, '(loaded model)');
      }
    }
    const wanted = [...this.crossPresents, ...this.selfNames.map((n) => (this.ownCache ? CACHE.newEntry(presentName(n)) : presentName(n)))];
    for (const name of wanted) {
      if (!decoder.outputNames.includes(name)) throw new ModelError(`the merged decoder has no output '${name}'`, '(loaded model)');
    }
  }

  static of(model: MarianModel): MarianSessions {
    const sessions = model.sessions as Record<string, OrtSession | undefined>;
    const encoder = sessions['model'];
    const decoder = sessions['decoder_model_merged'];
    if (!encoder || !decoder) {
      throw new ModelError(`the model has no encoder/merged-decoder sessions (found: ${Object.keys(sessions).join(', ')}); it must be a Marian seq2seq export`, '(loaded model)');
    }
    return new MarianSessions(encoder, decoder, resolveSpec(model));
  }

  async encode(inputIds: OrtTensor, attentionMask: OrtTensor): Promise<OrtTensor> {
    const feeds: Record<string, OrtTensor> = { input_ids: inputIds, attention_mask: attentionMask };
    const out = await this.encoder.run(pick(feeds, this.encoder.inputNames, 'encoder'));
    const hidden = out['last_hidden_state'];
    if (!hidden) throw new ModelError(`the encoder has no output 'last_hidden_state'`, '(loaded model)');
    return hidden;
  }

  /** Empty cross-attention caches for the first step: [rows, heads, 0, head_dim], as transformers.js builds them. */
  emptyCross(rows: number): KvCache {
    const cache: KvCache = new Map();
    for (const name of this.crossNames) cache.set(name, ortTensor('float32', new Float32Array(0), [rows, this.spec.heads, 0, this.spec.headDim]));
    return cache;
  }

  /**
   * An empty self-attention cache for `rows` rows that will hold at most `maxLength` positions,
   * and probably about `expected` (a translation is about as long as its source).
   */
  newSelfCache(rows: number, maxLength: number, expected = 16): SelfCache {
    return this.ownCache ? new OwnedCache(this.cacheShape, rows, maxLength, expected) : new PresentCache(this.cacheShape, rows);
  }

  /**
   * One decoder step of one token per row. `first` selects the no-cache branch, which computes the
   * cross-attention keys/values from `hidden`; later steps reuse them from `cross`. `select` says
   * what leaves ONNX Runtime besides the cache (anything but full logits needs a fused decoder).
   * The self-attention cache is read, not changed: the caller advances it with the step's
   * `selfOut` once it keeps the step (a step the top-k cannot decide runs again).
   */
  async step(tokens: BigInt64Array, hidden: OrtTensor, mask: OrtTensor, cross: KvCache, self: SelfCache, first: boolean, select: Selection = FULL_LOGITS): Promise<DecoderStepOutput> {
    const rows = tokens.length;
    if (select.kind !== 'logits' && !this.fused) throw new RangeError(`selection '${select.kind}' needs a fused decoder`);
    if (self.rows !== rows) throw new RangeError(`the self-attention cache has ${self.rows} rows, the step ${rows}`);
    const wanted = selectionOutputs(select);
    const out = await this.runDecoder(ortTensor('int64', tokens, [rows, 1]), hidden, mask, cross, self, first, [...wanted, ...self.outputs, ...(first ? this.crossPresents : [])], select);
    // On cached steps the cross entries come back empty (optimum) or unchanged; the first step's stay
    // in use, as transformers.js keeps them.
    const nextCross: KvCache = first ? new Map(this.crossNames.map((n) => [n, out[presentName(n)]!])) : cross;
    const selfOut = Object.fromEntries(self.outputs.map((n) => [n, out[n]!]));
    if (select.kind === 'topk') {
      const v = out[FUSED.topValues]!;
      const i = out[FUSED.topIndices]!;
      if (!(i.data instanceof BigInt64Array) || i.data.length !== rows * select.k) throw new ModelError(`the fused decoder returned top-k ids of shape [${i.dims.join(', ')}], expected [${rows}, 1, ${select.k}]`, '(loaded model)');
      const normaliser = select.normaliser ? { firstLogit: floatData(out[FUSED.firstLogit]!, 'first logit'), firstLogprob: floatData(out[FUSED.firstLogprob]!, 'first log-probability') } : {};
      return { topValues: floatData(v, 'top-k values'), topIndices: i.data, ...normaliser, cross: nextCross, selfOut };
    }
    const logitsT = out['logits']!;
    const dims = logitsT.dims;
    if (dims.length !== 3 || dims[0] !== rows || dims[1] !== 1) {
      throw new ModelError(`the decoder returned logits of shape [${dims.join(', ')}], expected [${rows}, 1, vocab]`, '(loaded model)');
    }
    return { logits: floatData(logitsT, 'logits'), logitsTensor: logitsT, vocab: dims[2]!, cross: nextCross, selfOut };
  }

  /** Whole decoder input sequences at once (no cache): logits [rows, width, vocab]. */
  async forward(ids: OrtTensor, hidden: OrtTensor, mask: OrtTensor): Promise<Float32Array> {
    const rows = ids.dims[0] ?? 0;
    const out = await this.runDecoder(ids, hidden, mask, this.emptyCross(rows), this.newSelfCache(rows, 1), true, ['logits'], FULL_LOGITS);
    return floatData(out['logits']!, 'logits');
  }

  private async runDecoder(ids: OrtTensor, hidden: OrtTensor, mask: OrtTensor, cross: KvCache, self: SelfCache, first: boolean, outputs: readonly string[], select: Selection): Promise<Record<string, OrtTensor>> {
    const feeds: Record<string, OrtTensor> = {
      input_ids: ids,
      encoder_hidden_states: hidden,
      encoder_attention_mask: mask,
      use_cache_branch: ortTensor('bool', [!first], [1]),
      ...self.feeds(),
    };
    if (this.fused) {
      feeds[FUSED.selectK] = ortTensor('int64', BigInt64Array.of(BigInt(select.kind === 'topk' ? select.k : 1)), [1]);
      feeds[FUSED.wantNormaliser] = ortTensor('bool', [select.kind === 'topk' && select.normaliser], [1]);
    }
    for (const [name, t] of cross) feeds[name] = t;
    // Only what the loop reads leaves ONNX Runtime: onnxruntime-node copies every fetched output
    // into a fresh buffer (ONNX Runtime itself runs every node whatever is fetched).
    const fetches = Object.fromEntries(outputs.map((n) => [n, null]));
    const out = await this.decoder.run(pick(feeds, this.decoder.inputNames, 'merged decoder'), fetches);
    for (const n of outputs) if (!out[n]) throw new ModelError(`the merged decoder has no output '${n}'`, '(loaded model)');
    return out;
  }
}

function selectionOutputs(select: Selection): string[] {
  if (select.kind === 'logits') return ['logits'];
  return [FUSED.topValues, FUSED.topIndices, ...(select.normaliser ? [FUSED.firstLogit, FUSED.firstLogprob] : [])];
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
function resolveSpec(model: MarianModel): MarianSpec {
  const config = model.config as ConfigLike;
  const gen = (model.generation_config ?? {}) as ConfigLike;
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
