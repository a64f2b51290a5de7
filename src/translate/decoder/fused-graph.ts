/**
 * The merged decoder with the search's selection appended to its graph, so that a step hands
 * JavaScript a few numbers per row instead of the whole vocabulary (54,796 floats, ~220 KB per row,
 * copied out of ONNX Runtime into a fresh buffer on every step):
 *
 *   masked        = logits + mask           (mask: -Infinity at the single-token bad words, Marian's pad)
 *   top_values,
 *   top_indices   = TopK(masked, k)         [rows, seq, k]     k fed per call (the `select_k` input)
 *   first_logit   = logits[..., 0:1]        [rows, seq, 1]     with first_logprob, the row's
 *   first_logprob = LogSoftmax(logits)[..., 0:1]               log-normaliser, as normaliser.ts computes it;
 *                                                              only when `want_normaliser` (an If: beam
 *                                                              search needs it, greedy does not)
 *
 * ONNX Runtime runs every node of a graph whatever outputs are fetched (measured: an ArgMax, a TopK
 * and a LogSoftmax all ran on every step while one was fetched), so the graph holds one selection,
 * TopK, used by greedy with k = 1 as well (TopK orders equal values lower index first, as the loops'
 * own argmax does), and the vocabulary-wide LogSoftmax sits behind an If. `logits` stays an output
 * for the paths that need it (teacher-forced scoring, the fallback step). Every appended node works
 * row by row: q8's batch invariance is kept.
 *
 * model/fused-decoder.ts writes this graph with the self-attention cache moved out too (cache-graph.ts).
 */
import { floatBytes, int64Bytes, type GraphDef, type NodeDef, type TensorData } from '../../onnx/build.js';
import { OnnxModel } from '../../onnx/edit.js';

/** Names of what the rewrite adds, shared with the decoder sessions that read them. */
export const FUSED = {
  selectK: 'dwb_select_k',
  wantNormaliser: 'dwb_want_normaliser',
  topValues: 'dwb_top_values',
  topIndices: 'dwb_top_indices',
  firstLogit: 'dwb_first_logit',
  firstLogprob: 'dwb_first_logprob',
} as const;

/** Bump when the appended graph changes: old cached folders are then left unused. */
export const FUSED_VERSION = 2;

/** Thrown when a decoder graph cannot take the appended selection (the model then runs unfused). */
export class FuseError extends Error {
  override readonly name = 'FuseError';
}

export interface FuseOptions {
  readonly vocab: number;
  /** Token ids to hide from every selection (single-token bad words). */
  readonly maskedIds: readonly number[];
}

const int = (name: string, value: number) => ({ name, kind: 'int' as const, value });

/** The decoder model bytes with the selection outputs appended (see the module comment). */
export function fuseSelection(bytes: Uint8Array, o: FuseOptions): OnnxModel {
  const model = OnnxModel.load(bytes);
  const opset = model.opset();
  // TopK with k as an input and the lower-index tie rule: opset 11.
  if (opset === undefined || opset < 11) throw new FuseError(`the decoder imports ONNX opset ${opset ?? 'none'}; the fused selection needs opset 11 or later`);
  if (!model.outputs().includes('logits')) throw new FuseError(`the decoder has no output 'logits'`);
  const taken = [...model.names()].filter((n) => n.startsWith('dwb_'));
  if (taken.length > 0) throw new FuseError(`the decoder already has values named ${taken.join(', ')} (fused twice?)`);
  if (!Number.isInteger(o.vocab) || o.vocab < 1) throw new FuseError(`vocabulary size ${o.vocab} is not a positive integer`);

  const mask = new Float32Array(o.vocab);
  for (const id of o.maskedIds) {
    if (!Number.isInteger(id) || id < 0 || id >= o.vocab) throw new FuseError(`bad word id ${id} is outside the vocabulary of ${o.vocab}`);
    mask[id] = -Infinity;
  }
  const initializers: TensorData[] = [
    { name: 'dwb_mask', elemType: 'float', dims: [o.vocab], raw: floatBytes(mask) },
    { name: 'dwb_zero', elemType: 'int64', dims: [1], raw: int64Bytes([0]) },
    { name: 'dwb_one', elemType: 'int64', dims: [1], raw: int64Bytes([1]) },
    { name: 'dwb_last_axis', elemType: 'int64', dims: [1], raw: int64Bytes([-1]) },
    // What first_logprob holds when the normaliser is not wanted (never read then).
    { name: 'dwb_no_logprob', elemType: 'float', dims: [1, 1, 1], raw: floatBytes(Float32Array.of(0)) },
  ];
  const normaliser: GraphDef = {
    name: 'dwb_normaliser',
    nodes: [
      { name: 'dwb_log_softmax', opType: 'LogSoftmax', inputs: ['logits'], outputs: ['dwb_logprobs'], attributes: [int('axis', -1)] },
      { name: 'dwb_first_logprob_slice', opType: 'Slice', inputs: ['dwb_logprobs', 'dwb_zero', 'dwb_one', 'dwb_last_axis'], outputs: ['dwb_first_logprob_then'], attributes: [] },
    ],
    initializers: [],
    inputs: [],
    outputs: [{ name: 'dwb_first_logprob_then', elemType: 'float' }],
  };
  const noNormaliser: GraphDef = {
    name: 'dwb_no_normaliser',
    nodes: [{ name: 'dwb_no_logprob_identity', opType: 'Identity', inputs: ['dwb_no_logprob'], outputs: ['dwb_first_logprob_else'], attributes: [] }],
    initializers: [],
    inputs: [],
    outputs: [{ name: 'dwb_first_logprob_else', elemType: 'float' }],
  };
  const nodes: NodeDef[] = [
    { name: 'dwb_mask_add', opType: 'Add', inputs: ['logits', 'dwb_mask'], outputs: ['dwb_masked'], attributes: [] },
    { name: 'dwb_topk', opType: 'TopK', inputs: ['dwb_masked', FUSED.selectK], outputs: [FUSED.topValues, FUSED.topIndices], attributes: [int('axis', -1), int('largest', 1), int('sorted', 1)] },
    { name: 'dwb_first_logit_slice', opType: 'Slice', inputs: ['logits', 'dwb_zero', 'dwb_one', 'dwb_last_axis'], outputs: [FUSED.firstLogit], attributes: [] },
    {
      name: 'dwb_normaliser_if',
      opType: 'If',
      inputs: [FUSED.wantNormaliser],
      outputs: [FUSED.firstLogprob],
      attributes: [
        { name: 'then_branch', kind: 'graph', value: normaliser },
        { name: 'else_branch', kind: 'graph', value: noNormaliser },
      ],
    },
  ];
  return model
    .addInitializers(...initializers)
    .addNodes(...nodes)
    .addInputs({ name: FUSED.selectK, elemType: 'int64', shape: [1] }, { name: FUSED.wantNormaliser, elemType: 'bool', shape: [1] })
    .addOutputs(
      { name: FUSED.topValues, elemType: 'float', shape: ['batch_size', 'decoder_sequence_length', 'select_k'] },
      { name: FUSED.topIndices, elemType: 'int64', shape: ['batch_size', 'decoder_sequence_length', 'select_k'] },
      { name: FUSED.firstLogit, elemType: 'float', shape: ['batch_size', 'decoder_sequence_length', 1] },
      { name: FUSED.firstLogprob, elemType: 'float', shape: ['batch_size', 'decoder_sequence_length', 1] },
    );
}
