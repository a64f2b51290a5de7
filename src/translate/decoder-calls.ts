/**
 * How a model call's sentences are split into decoder calls. Every row (sentence × beam) holds its
 * cross-attention cache (source tokens × 24.6 KB for opus-mt) and its self-attention cache (about as
 * much again) for the whole call, and ONNX Runtime copies the self-attention cache twice per step,
 * so a call's memory is about rows × source tokens; its speed wants many rows (a step's fixed cost,
 * about 2.8 ms of a 1-row step, is shared by the rows). Calls are therefore bounded in rows and in
 * rows × source tokens, shortest sentences first so that each call pads little, and made of even
 * sizes (9 sentences at 6 beams go as 5 + 4, not 8 + 1: a call of a few rows costs almost as much
 * as a full one). Outputs do not depend on the split (q8 is batch-invariant).
 */

export interface DecoderCallLimits {
  /** Most rows (sentences × beams) per call. */
  readonly rows: number;
  /** Most rows × longest input (tokens) per call, once a call has more than `freeRows` rows. */
  readonly rowTokens: number;
  /**
   * Rows a call may always hold, however long its sentences (a greedy batch: its caches stay small
   * beside the model, and splitting it costs speed); a sentence's beams beyond it go alone.
   */
  readonly freeRows: number;
}

/** Indices into `lengths` (input tokens per sentence), one array per decoder call, in call order. */
export function decoderCalls(lengths: readonly number[], beams: number, limits: DecoderCallLimits): number[][] {
  if (lengths.length === 0) return [];
  const order = [...lengths.keys()].sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const pack = (most: number): number[][] => {
    const calls: number[][] = [];
    let call: number[] = [];
    for (const i of order) {
      const rows = (call.length + 1) * beams;
      // Sorted: this sentence is the longest of the call so far.
      const fits = call.length < most && rows <= limits.rows && (rows <= limits.freeRows || rows * lengths[i]! <= limits.rowTokens);
      if (!fits && call.length > 0) {
        calls.push(call);
        call = [];
      }
      call.push(i);
    }
    calls.push(call);
    return calls;
  };
  const count = pack(Infinity).length;
  return pack(Math.ceil(lengths.length / count));
}
