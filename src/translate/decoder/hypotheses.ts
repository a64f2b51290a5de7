/**
 * Finished hypotheses of one sentence, kept as Hugging Face's BeamHypotheses keeps them
 * (transformers ≥ 4.35, generation/beam_search.py):
 *
 * - score = sum_logprobs / generated_len ** length_penalty, where generated_len counts the generated
 *   tokens including the end token (an eos hypothesis) or the generated tokens (a beam finalised at
 *   the length limit). The decoder start token is not counted. (Before 4.35 HF divided by
 *   `hyp.shape[-1]`, the sequence with the start token but without the eos: the same number for eos
 *   hypotheses, one more for beams finalised at the limit.)
 * - at most num_beams are kept; a new one is accepted while there is room or when it beats the worst;
 *   when one too many, the worst leaves (the earliest added of equal worst ones).
 * - is_done: never before num_beams are kept; then at once with early_stopping, otherwise when the
 *   worst kept score is at least best_running_sum / cur_len ** length_penalty (HF's heuristic).
 */
export interface Hypothesis {
  readonly score: number;
  readonly tokens: readonly number[];
}

export class Hypotheses {
  private readonly items: Hypothesis[] = [];
  private worst = 1e9;

  constructor(
    private readonly numBeams: number,
    private readonly lengthPenalty: number,
    private readonly earlyStopping: boolean,
  ) {}

  get size(): number {
    return this.items.length;
  }

  add(tokens: readonly number[], sumLogprobs: number, generatedLen: number): void {
    const score = sumLogprobs / generatedLen ** this.lengthPenalty;
    if (this.items.length < this.numBeams || score > this.worst) {
      this.items.push({ score, tokens });
      if (this.items.length > this.numBeams) {
        // Python's sorted() on (score, index) pairs: ties go to the earlier index.
        const order = this.items.map((h, i) => [h.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.items.splice(order[0]![1], 1);
        this.worst = order[1]![0];
      } else {
        this.worst = Math.min(score, this.worst);
      }
    }
  }

  /** `bestSum`: the best candidate score of this step; `curLen`: generated tokens including this step's. */
  isDone(bestSum: number, curLen: number): boolean {
    if (this.items.length < this.numBeams) return false;
    if (this.earlyStopping) return true;
    return this.worst >= bestSum / curLen ** this.lengthPenalty;
  }

  /** HF's finalize: a stable sort by score, then pop(), so of equal best scores the last added wins. */
  best(): Hypothesis | undefined {
    let best: Hypothesis | undefined;
    for (const h of this.items) if (!best || h.score >= best.score) best = h;
    return best;
  }
}
