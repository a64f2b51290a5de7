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
 *
 * With a fused decoder (fused-graph.ts) a step returns each row's top-k masked logits and the values
 * of its log-normaliser instead of the full logits; the candidates are scored exactly as the full
 * scan scores them (selection.ts), and a step they cannot decide runs again with full logits.
 */
import { Hypotheses } from './hypotheses.js';
import { processedLogprobs, type ProcessorSettings } from './logits.js';
import { logNormalisers } from './normaliser.js';
import { decided, offerFromTop, rowChanges, selectionPlan, topkSelection, type RowChanges } from './selection.js';
import { FULL_LOGITS, MarianSessions, type DecoderStepOutput, type Selection } from './session.js';
import { gatherCache, gatherRows, RowScratch, type KvCache, type OrtTensor } from './tensors.js';
import type { DecodeStats } from './stats.js';
import { TopK } from './topk.js';
import type { DecodeRequest, DecodeResult } from './types.js';
import { checkRequest, expectedLength } from './validate.js';

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
  let mask: OrtTensor = req.attentionMask;
  if (beams.length < batch) {
    const rows = beams.map((b) => b.sentence);
    hidden = gatherRows(hidden, rows);
    mask = gatherRows(mask, rows);
  }
  let cross: KvCache = sessions.emptyCross(beams.length);
  const self = sessions.newSelfCache(beams.length, Math.max(...beams.map((b) => req.maxNewTokens[b.sentence]!)), expectedLength(req));
  const topk = new TopK(2 * numBeams);
  const scratch = new RowScratch();

  const plan = selectionPlan(sessions, settings, false);
  const jsSettings: ProcessorSettings = { ...settings, badWordsIds: sessions.jsBadWordsIds };

  for (let t = 0; beams.length > 0; t++) {
    const n = beams.length;
    const input = new BigInt64Array(n);
    for (let i = 0; i < n; i++) input[i] = BigInt(beams[i]!.history.at(-1)!);
    const changes: RowChanges[] | undefined = plan === 'topk' ? beams.map((b) => rowChanges(b.history, jsSettings)) : undefined;
    const select: Selection = changes ? topkSelection(2 * numBeams, changes, spec.vocab!, true) : FULL_LOGITS;
    const run = async (sel: Selection): Promise<DecoderStepOutput> => {
      const t0 = performance.now();
      const out = await sessions.step(input, hidden, mask, cross, self, t === 0, sel);
      if (stats) {
        stats.decoderMs += performance.now() - t0;
        stats.decoderRuns++;
        stats.rowSteps += n;
      }
      return out;
    };
    const groups = sentenceGroups(beams);
    let step = await run(select);
    let picked = select.kind === 'topk' ? fusedCandidates(step, select.k, spec.vocab!, groups, beams, changes!, settings.repetitionPenalty, topk) : undefined;
    if (select.kind === 'topk' && !picked) {
      // Undecided by the candidates (equal scores at the boundary) or no finite normaliser: the
      // whole step again, with full logits.
      if (stats) stats.fallbackSteps++;
      step = await run(FULL_LOGITS);
    }
    picked ??= await fullCandidates(step, groups, beams, settings, topk);
    const vocab = picked.vocab;

    const next: Beam[] = [];
    const sources: number[] = [];
    for (let g = 0; g < groups.length; g++) {
      const [a] = groups[g]!;
      const sentence = beams[a]!.sentence;
      const cand = picked.lists[g]!;
      const h = hyps[sentence]!;
      const chosen: number[] = [];
      const chosenTokens: number[] = [];
      const chosenScores: number[] = [];
      for (let rank = 0; rank < cand.scores.length && chosen.length < numBeams; rank++) {
        const flat = cand.flats[rank]!;
        const src = a + Math.floor(flat / vocab);
        const token = flat % vocab;
        const score = cand.scores[rank]!;
        if (spec.eosIds.has(token)) {
          if (rank < numBeams) h.add(beams[src]!.history.slice(1), score, t + 1);
          continue;
        }
        chosen.push(src);
        chosenTokens.push(token);
        chosenScores.push(score);
      }

      let done = chosen.length === 0 || (cand.scores.length > 0 && h.isDone(cand.scores[0]!, t + 1));
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
    }

    if (next.length === 0) break;
    const t1 = performance.now();
    self.advance(step.selfOut);
    self.select(sources, scratch);
    cross = step.cross;
    // The cross-attention cache, encoder output and mask are the same for every beam of a sentence,
    // so they need moving only when the sentences' row counts change.
    const sameLayout = next.length === n && next.every((beam, i) => beam.sentence === beams[i]!.sentence);
    if (!sameLayout) {
      cross = gatherCache(cross, sources, sessions.crossNames, scratch);
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

/** Each sentence's [first, end) rows: a sentence's beams are consecutive. */
function sentenceGroups(beams: readonly Beam[]): [number, number][] {
  const groups: [number, number][] = [];
  for (let a = 0; a < beams.length; ) {
    let b = a;
    while (b < beams.length && beams[b]!.sentence === beams[a]!.sentence) b++;
    groups.push([a, b]);
    a = b;
  }
  return groups;
}

/** A sentence's best 2 × num_beams candidates, best first: summed scores and flat (row-in-sentence × vocab + token) indices. */
interface Candidates {
  readonly scores: number[];
  readonly flats: number[];
}

function takeCandidates(topk: TopK): Candidates {
  const scores: number[] = [];
  const flats: number[] = [];
  for (let rank = 0; rank < topk.size; rank++) {
    scores.push(topk.score(rank));
    flats.push(topk.index(rank));
  }
  return { scores, flats };
}

/** log(sum(exp(logits))) per row from the fused outputs, as normaliser.ts computes it. */
function fusedNormalisers(step: DecoderStepOutput): Float64Array {
  const first = step.firstLogit!;
  const lp = step.firstLogprob!;
  const out = new Float64Array(first.length);
  for (let r = 0; r < first.length; r++) out[r] = first[r]! - lp[r]!;
  return out;
}

/** Candidates from a fused top-k step, or undefined when they cannot decide the step. */
function fusedCandidates(
  step: DecoderStepOutput,
  k: number,
  vocab: number,
  groups: readonly [number, number][],
  beams: readonly Beam[],
  changes: readonly RowChanges[],
  penalty: number,
  topk: TopK,
): { vocab: number; lists: Candidates[] } | undefined {
  const logZs = fusedNormalisers(step);
  if (!logZs.every(Number.isFinite)) return undefined;
  const lists: Candidates[] = [];
  for (const [a, b] of groups) {
    topk.reset();
    let bound = -Infinity;
    for (let i = a; i < b; i++) {
      const rowBound = offerFromTop(topk, step.topValues!, step.topIndices!, i, k, k === vocab, beams[i]!.score, logZs[i]!, changes[i]!, penalty, (i - a) * vocab);
      bound = Math.max(bound, rowBound);
    }
    if (!decided(topk, bound)) return undefined;
    lists.push(takeCandidates(topk));
  }
  return { vocab, lists };
}

/** Candidates from full logits: log_softmax, the processors, one scan per row. */
async function fullCandidates(
  step: DecoderStepOutput,
  groups: readonly [number, number][],
  beams: readonly Beam[],
  settings: ProcessorSettings,
  topk: TopK,
): Promise<{ vocab: number; lists: Candidates[] }> {
  const vocab = step.vocab!;
  // Before the processors below hide tokens in the rows: log_softmax is over the raw logits.
  const logZs = await logNormalisers(step.logitsTensor!);
  const lists: Candidates[] = [];
  for (const [a, b] of groups) {
    topk.reset();
    for (let i = a; i < b; i++) {
      const row = step.logits!.subarray(i * vocab, (i + 1) * vocab);
      const logZ = logZs[i]!;
      const changed = processedLogprobs(row, logZ, beams[i]!.history, settings);
      // The row is this step's own buffer: hide the changed tokens from the scan, offer them after.
      for (const token of changed.keys()) row[token] = -Infinity;
      const base = beams[i]!.score;
      const offset = (i - a) * vocab;
      topk.scan(row, base, logZ, offset);
      for (const [token, lp] of changed) if (lp > -Infinity) topk.offer(Math.fround(base + lp), offset + token);
    }
    lists.push(takeCandidates(topk));
  }
  return { vocab, lists };
}
