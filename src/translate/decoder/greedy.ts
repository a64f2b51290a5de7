/**
 * dwibahasa's batched greedy loop over the Marian ONNX sessions. Same tokens as transformers.js'
 * greedy `generate` (same processors, same float32 arithmetic, same argmax), but a row that is
 * finished leaves the batch at once instead of running until the longest row ends.
 *
 * With a fused decoder (fused-graph.ts) a step returns each row's best token (TopK with k = 1, no
 * processors) or its top-k logits (processors on, see selection.ts) instead of the full logits; a
 * step the top-k cannot decide runs again with full logits.
 */
import { FULL_LOGITS, MarianSessions, type DecoderStepOutput, type Selection } from './session.js';
import { gatherCache, gatherRows, RowScratch, type KvCache, type OrtTensor } from './tensors.js';
import { argmax, processRow, type ProcessorSettings } from './logits.js';
import { greedyFromTop, rowChanges, selectionPlan, topkSelection, type RowChanges } from './selection.js';
import type { DecodeStats } from './stats.js';
import type { DecodeRequest, DecodeResult } from './types.js';
import { checkRequest, expectedLength } from './validate.js';

/** The best token of each row, for a loop without processors. */
const BEST: Selection = { kind: 'topk', k: 1, normaliser: false };

export async function greedyDecode(req: DecodeRequest, stats?: DecodeStats): Promise<DecodeResult> {
  const batch = checkRequest(req);
  const sessions = MarianSessions.of(req.model);
  const spec = sessions.spec;
  const out: number[][] = Array.from({ length: batch }, () => []);
  // Original row index of each batch row still running.
  let rows = [...Array(batch).keys()].filter((r) => req.maxNewTokens[r]! > 0);
  if (rows.length === 0) return out;

  const settings: ProcessorSettings = {
    repetitionPenalty: req.options.repetitionPenalty,
    noRepeatNgramSize: req.options.noRepeatNgramSize,
    badWordsIds: spec.badWordsIds,
  };
  // The processors see the whole decoder input, start token included (as in transformers.js).
  const histories = out.map(() => [spec.decoderStartId]);

  let hidden: OrtTensor = await sessions.encode(req.inputIds, req.attentionMask);
  if (stats) stats.encoderRuns++;
  let mask: OrtTensor = req.attentionMask;
  if (rows.length < batch) {
    hidden = gatherRows(hidden, rows);
    mask = gatherRows(mask, rows);
  }
  let cross: KvCache = sessions.emptyCross(rows.length);
  const self = sessions.newSelfCache(rows.length, Math.max(...rows.map((r) => req.maxNewTokens[r]!)), expectedLength(req));
  let first = true;
  const scratch = new RowScratch();

  const plan = selectionPlan(sessions, settings, true);
  const jsSettings: ProcessorSettings = { ...settings, badWordsIds: sessions.jsBadWordsIds };

  while (rows.length > 0) {
    const n = rows.length;
    const input = new BigInt64Array(n);
    for (let i = 0; i < n; i++) input[i] = BigInt(histories[rows[i]!]!.at(-1)!);
    const changes: RowChanges[] | undefined = plan === 'topk' ? rows.map((r) => rowChanges(histories[r]!, jsSettings)) : undefined;
    const select: Selection = plan === 'argmax' ? BEST : changes ? topkSelection(1, changes, spec.vocab!, false) : FULL_LOGITS;
    const run = async (sel: Selection): Promise<DecoderStepOutput> => {
      const t0 = performance.now();
      const out = await sessions.step(input, hidden, mask, cross, self, first, sel);
      if (stats) {
        stats.decoderMs += performance.now() - t0;
        stats.decoderRuns++;
        stats.rowSteps += n;
      }
      return out;
    };
    let step = await run(select);
    let tokens: Int32Array = new Int32Array(n);
    if (select === BEST) {
      // No processors: the masked top-1 is the token (TopK breaks ties by the lower id, as argmax).
      for (let i = 0; i < n; i++) tokens[i] = Number(step.topIndices![i]);
    } else if (step.topIndices && select.kind === 'topk') {
      const complete = select.k === spec.vocab;
      for (let i = 0; i < n; i++) {
        const t = greedyFromTop(step.topValues!, step.topIndices, i, select.k, complete, changes![i]!, settings.repetitionPenalty);
        if (t < 0) {
          // Undecided by the candidates (equal scores at the boundary): the whole step again, full logits.
          if (stats) stats.fallbackSteps++;
          step = await run(FULL_LOGITS);
          tokens = fromLogits(step, rows, histories, settings);
          break;
        }
        tokens[i] = t;
      }
    } else {
      tokens = fromLogits(step, rows, histories, settings);
    }
    first = false;
    cross = step.cross;
    self.advance(step.selfOut);

    const keep: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      const token = tokens[i]!;
      if (spec.eosIds.has(token)) continue;
      out[r]!.push(token);
      histories[r]!.push(token);
      if (out[r]!.length < req.maxNewTokens[r]!) keep.push(i);
    }
    if (keep.length === n) continue;
    rows = keep.map((i) => rows[i]!);
    if (rows.length === 0) break;
    const t1 = performance.now();
    self.select(keep, scratch);
    cross = gatherCache(cross, keep, sessions.crossNames, scratch);
    hidden = gatherRows(hidden, keep);
    mask = gatherRows(mask, keep);
    if (stats) stats.gatherMs += performance.now() - t1;
  }
  return out;
}

/** Every row's token from full logits: the processors (in place: the logits are this step's own buffer), then argmax. */
function fromLogits(step: DecoderStepOutput, rows: readonly number[], histories: readonly number[][], settings: ProcessorSettings): Int32Array {
  const vocab = step.vocab!;
  const tokens = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const logits = step.logits!.subarray(i * vocab, (i + 1) * vocab);
    processRow(logits, histories[rows[i]!]!, settings);
    tokens[i] = argmax(logits);
  }
  return tokens;
}
