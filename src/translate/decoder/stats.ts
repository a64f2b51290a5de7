/** Counters a loop fills in when given one: for tests (finished rows must not run) and benchmarks. */
export interface DecodeStats {
  encoderRuns: number;
  decoderRuns: number;
  /** Sum over decoder runs of the rows in the batch. */
  rowSteps: number;
  /** Wall time inside decoder session runs. */
  decoderMs: number;
  /** Wall time spent gathering cache rows (compaction, beam reordering). */
  gatherMs: number;
  /** Fused top-k steps that the candidates could not decide, run again with full logits. */
  fallbackSteps: number;
}

export function newStats(): DecodeStats {
  return { encoderRuns: 0, decoderRuns: 0, rowSteps: 0, decoderMs: 0, gatherMs: 0, fallbackSteps: 0 };
}
