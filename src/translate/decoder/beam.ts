/**
 * dwibahasa's batched beam search over the Marian ONNX sessions, following Hugging Face's
 * `_beam_search` with BeamSearchScorer (transformers ≥ 4.35):
 *
 * - every beam of every sentence is one row of a single decoder call; the self-attention cache is
 *   gathered along with the beams; a sentence that is done leaves the batch at once;
 * - per row: log_softmax of the logits, then the processors on the log-probabilities (repetition
 *   penalty, no-repeat n-grams, bad words = pad), plus the beam's running score (float32, as HF);
 * - per sentence: the top 2 × num_beams candidates over beams × vocabulary; an eos candidate ranked
 *   within num_beams becomes a hypothesis, the others are skipped; the first num_beams non-eos
 *   candidates become the next beams;
 * - at a sentence's own length limit (maxNewTokens[r]) its running beams are finalised as hypotheses.
 *
 * Two deliberate differences, both invisible with a real vocabulary: the first step runs one row per
 * sentence (HF runs num_beams rows of which all but one start at -1e9 and never reach the top
 * 2 × num_beams), and candidates scored -Infinity are never taken, so a tiny vocabulary gives fewer
 * beams instead of -Infinity beams.
 */
import { Hypotheses } from './hypotheses.js';
import { processedLogprobs, type ProcessorSettings } from './logits.js';
import { logNormalisers } from './normaliser.js';
import { gatherCache, gatherRows, MarianSessions, RowScratch, type KvCache, type OrtTensor } from './session.js';
import type { DecodeStats } from './stats.js';
import { TopK } from './topk.js';
import type { DecodeRequest, DecodeResult } from './types.js';
import { checkRequest } from './validate.js';

interface Beam {
  /** Original batch row of the sentence. */
  readonly sentence: number;
  /** Decoder input so far: start token, then the generated tokens. */
  readonly history: readonly number[];
  /** Sum of log-probabilities, kept in float32 like HF's beam_scores. */
  readonly score: number;
}

export async function beamDecode(req: DecodeRequest, stats?: DecodeStats): Promise<DecodeResult> {
  const batch = checkRequest(req);
  const numBeams = req.beams;
  const sessions = MarianSessions.of(req.model);
  const spec = sessions.spec;
  const settings: ProcessorSettings = {
    repetitionPenalty: req.options.repetitionPenalty,
    noRepeatNgramSize: req.options.noRepeatNgramSize,
    badWordsIds: spec.badWordsIds,
  };
  const hyps = Array.from({ length: batch }, () => new Hypotheses(numBeams, req.lengthPenalty, req.earlyStopping));

  let beams: Beam[] = [];
  for (let r = 0; r < batch; r++) {
    if (req.maxNewTokens[r]! > 0) beams.push({ sentence: r, history: [spec.decoderStartId], score: 0 });
  }
  const out: number[][] = Array.from({ length: batch }, () => []);
  if (beams.length === 0) return out;

  let hidden: OrtTensor = await sessions.encode(req.inputIds, req.attentionMask);
  if (stats) stats.encoderRuns++;
  let mask: OrtTensor = req.attentionMask.ort_tensor as unknown as OrtTensor;
  if (beams.length < batch) {
    const rows = beams.map((b) => b.sentence);
    hidden = gatherRows(hidden, rows);
    mask = gatherRows(mask, rows);
  }
  let cache: KvCache = sessions.emptyCache(beams.length);
  const topk = new TopK(2 * numBeams);
  const scratch = new RowScratch();

  for (let t = 0; beams.length > 0; t++) {
    const n = beams.length;
    const input = new BigInt64Array(n);
    for (let i = 0; i < n; i++) input[i] = BigInt(beams[i]!.history.at(-1)!);
    const t0 = performance.now();
    const step = await sessions.step(input, hidden, mask, cache, t === 0);
    if (stats) {
      stats.decoderMs += performance.now() - t0;
      stats.decoderRuns++;
      stats.rowSteps += n;
    }
    const vocab = step.vocab;
    // Before the processors below hide tokens in the rows: log_softmax is over the raw logits.
    const logZs = await logNormalisers(step.logitsTensor);

    const next: Beam[] = [];
    const sources: number[] = [];
    for (let a = 0; a < n; ) {
      const sentence = beams[a]!.sentence;
      let b = a;
      while (b < n && beams[b]!.sentence === sentence) b++;

      topk.reset();
      for (let i = a; i < b; i++) {
        const row = step.logits.subarray(i * vocab, (i + 1) * vocab);
        const logZ = logZs[i]!;
        const changed = processedLogprobs(row, logZ, beams[i]!.history, settings);
        // The row is this step's own buffer: hide the changed tokens from the scan, offer them after.
        for (const token of changed.keys()) row[token] = -Infinity;
        const base = beams[i]!.score;
        const offset = (i - a) * vocab;
        topk.scan(row, base, logZ, offset);
        for (const [token, lp] of changed) if (lp > -Infinity) topk.offer(Math.fround(base + lp), offset + token);
      }

      const h = hyps[sentence]!;
      const chosen: number[] = [];
      const chosenTokens: number[] = [];
      const chosenScores: number[] = [];
      for (let rank = 0; rank < topk.size && chosen.length < numBeams; rank++) {
        const flat = topk.index(rank);
        const src = a + Math.floor(flat / vocab);
        const token = flat % vocab;
        const score = topk.score(rank);
        if (spec.eosIds.has(token)) {
          if (rank < numBeams) h.add(beams[src]!.history.slice(1), score, t + 1);
          continue;
        }
        chosen.push(src);
        chosenTokens.push(token);
        chosenScores.push(score);
      }

      let done = chosen.length === 0 || (topk.size > 0 && h.isDone(topk.score(0), t + 1));
      if (!done && t + 1 >= req.maxNewTokens[sentence]!) {
        chosen.forEach((src, k) => h.add([...beams[src]!.history.slice(1), chosenTokens[k]!], chosenScores[k]!, t + 1));
        done = true;
      }
      if (!done) {
        chosen.forEach((src, k) => {
          next.push({ sentence, history: [...beams[src]!.history, chosenTokens[k]!], score: chosenScores[k]! });
          sources.push(src);
        });
      }
      a = b;
    }

    if (next.length === 0) break;
    const t1 = performance.now();
    cache = gatherCache(step.cache, sources, sessions.selfNames, scratch);
    // The cross-attention cache, encoder output and mask are the same for every beam of a sentence,
    // so they need moving only when the sentences' row counts change.
    const sameLayout = next.length === n && next.every((beam, i) => beam.sentence === beams[i]!.sentence);
    if (!sameLayout) {
      cache = gatherCache(cache, sources, sessions.crossNames, scratch);
      hidden = gatherRows(hidden, sources);
      mask = gatherRows(mask, sources);
    }
    if (stats) stats.gatherMs += performance.now() - t1;
    beams = next;
  }

  for (let r = 0; r < batch; r++) {
    const best = hyps[r]!.best();
    if (best) out[r] = [...best.tokens];
  }
  return out;
}
