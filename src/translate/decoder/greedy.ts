/**
 * dwibahasa's batched greedy loop over the Marian ONNX sessions. Same tokens as transformers.js'
 * greedy `generate` (same processors, same float32 arithmetic, same argmax), but a row that is
 * finished leaves the batch at once instead of running until the longest row ends.
 */
import { gatherCache, gatherRows, MarianSessions, RowScratch, type KvCache, type OrtTensor } from './session.js';
import { argmax, processRow, type ProcessorSettings } from './logits.js';
import type { DecodeStats } from './stats.js';
import type { DecodeRequest, DecodeResult } from './types.js';
import { checkRequest } from './validate.js';

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
  let mask: OrtTensor = req.attentionMask.ort_tensor as unknown as OrtTensor;
  if (rows.length < batch) {
    hidden = gatherRows(hidden, rows);
    mask = gatherRows(mask, rows);
  }
  let cache: KvCache = sessions.emptyCache(rows.length);
  let first = true;
  const scratch = new RowScratch();

  while (rows.length > 0) {
    const n = rows.length;
    const input = new BigInt64Array(n);
    for (let i = 0; i < n; i++) input[i] = BigInt(histories[rows[i]!]!.at(-1)!);
    const t0 = performance.now();
    const step = await sessions.step(input, hidden, mask, cache, first);
    if (stats) {
      stats.decoderMs += performance.now() - t0;
      stats.decoderRuns++;
      stats.rowSteps += n;
    }
    first = false;
    cache = step.cache;

    const keep: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      // The logits output is this step's own buffer, so the processors can change it in place.
      const logits = step.logits.subarray(i * step.vocab, (i + 1) * step.vocab);
      processRow(logits, histories[r]!, settings);
      const token = argmax(logits);
      if (spec.eosIds.has(token)) continue;
      out[r]!.push(token);
      histories[r]!.push(token);
      if (out[r]!.length < req.maxNewTokens[r]!) keep.push(i);
    }
    if (keep.length === n) continue;
    rows = keep.map((i) => rows[i]!);
    if (rows.length === 0) break;
    const t1 = performance.now();
    cache = gatherCache(cache, keep, [...sessions.selfNames, ...sessions.crossNames], scratch);
    hidden = gatherRows(hidden, keep);
    mask = gatherRows(mask, keep);
    if (stats) stats.gatherMs += performance.now() - t1;
  }
  return out;
}
