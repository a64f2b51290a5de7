/**
 * Teacher-forced scoring: the model's log-probability of given target sequences, for tests and the
 * quality guards. One decoder call over whole sequences (no-cache branch); the causal mask keeps a
 * row's positions blind to the padding after its own end, so rows of different lengths share a call.
 */
import { MarianSessions } from './session.js';
import { ortTensor, type OrtTensor } from './tensors.js';
import type { MarianModel } from './types.js';

/**
 * Sum over positions of log_softmax(logits)[target] for each row's `targets[r]` (generated tokens in
 * order; include the end token when it should count). No processors, no length normalisation.
 */
export async function scoreSequence(
  model: MarianModel,
  inputIds: OrtTensor,
  attentionMask: OrtTensor,
  targets: number[][],
): Promise<number[]> {
  const sessions = MarianSessions.of(model);
  const batch = inputIds.dims[0] ?? 0;
  if (targets.length !== batch) throw new RangeError(`scoreSequence: ${batch} input rows but ${targets.length} target rows`);
  const width = Math.max(1, ...targets.map((t) => t.length));
  const { decoderStartId, padId } = sessions.spec;
  const ids = new BigInt64Array(batch * width).fill(BigInt(padId));
  targets.forEach((target, r) => {
    ids[r * width] = BigInt(decoderStartId);
    for (let j = 0; j + 1 < target.length; j++) ids[r * width + j + 1] = BigInt(target[j]!);
  });
  const hidden = await sessions.encode(inputIds, attentionMask);
  const logits = await sessions.forward(ortTensor('int64', ids, [batch, width]), hidden, attentionMask);
  const vocab = logits.length / (batch * width);
  return targets.map((target, r) => {
    let sum = 0;
    target.forEach((token, j) => {
      const row = logits.subarray((r * width + j) * vocab, (r * width + j + 1) * vocab);
      let max = -Infinity;
      for (let v = 0; v < vocab; v++) if (row[v]! > max) max = row[v]!;
      let z = 0;
      for (let v = 0; v < vocab; v++) z += Math.exp(row[v]! - max);
      sum += row[token]! - max - Math.log(z);
    });
    return sum;
  });
}
