/**
 * The progress line's rate and ETA. The rate is smoothed (an exponential moving average over
 * about 15 s), the remaining work includes the files not parsed yet (at the segments per file
 * seen so far), and the ETA shown falls with the clock: a higher estimate is taken in gradually,
 * a lower one at once, so it does not jump back and forth as batches of different sizes return.
 */

const TAU_S = 15;
/** Below this the overall average is used: a few batches say little. */
const WARMUP_S = 3;
/** The share of a rise in the estimate taken in per second. */
const RISE_PER_S = 0.2;

export interface EtaCounts {
  readonly filesFound: number | undefined;
  readonly filesPlanned: number;
  readonly segmentsQueued: number;
}

export class EtaEstimator {
  private rate: number | undefined;
  private lastT: number;
  private lastDone = 0;
  private shown: number | undefined;
  private shownAt = 0;

  constructor(private readonly startedAt: number) {
    this.lastT = startedAt;
  }

  /** Segments in all: those queued, plus the files not yet parsed at the average so far. Unknown files: queued only. */
  estimateTotal(c: EtaCounts): number {
    if (c.filesFound === undefined || c.filesPlanned === 0) return c.segmentsQueued;
    const perFile = c.segmentsQueued / c.filesPlanned;
    return Math.round(c.segmentsQueued + Math.max(0, c.filesFound - c.filesPlanned) * perFile);
  }

  /** Feed the clock (ms) and the segments done; get the rate (segments/s) and the ETA (s) to show. */
  update(now: number, done: number, total: number): { rate: number; seconds: number | undefined } {
    const sinceStart = (now - this.startedAt) / 1000;
    const dt = (now - this.lastT) / 1000;
    if (sinceStart < WARMUP_S || this.rate === undefined) {
      this.rate = sinceStart > 0 ? done / sinceStart : 0;
    } else if (dt >= 0.5) {
      const inst = (done - this.lastDone) / dt;
      this.rate += (1 - Math.exp(-dt / TAU_S)) * (inst - this.rate);
    }
    if (dt >= 0.5 || sinceStart < WARMUP_S) {
      this.lastT = now;
      this.lastDone = done;
    }
    const remaining = Math.max(0, total - done);
    if (this.rate <= 0 || total === 0 || sinceStart < WARMUP_S) return { rate: this.rate, seconds: undefined };
    const raw = remaining / this.rate;
    if (this.shown === undefined) {
      this.shown = raw;
    } else {
      const step = Math.max(0, (now - this.shownAt) / 1000);
      const decayed = Math.max(0, this.shown - step);
      this.shown = raw <= decayed ? raw : decayed + Math.min(1, RISE_PER_S * step) * (raw - decayed);
    }
    this.shownAt = now;
    if (remaining === 0) this.shown = 0;
    return { rate: this.rate, seconds: this.shown };
  }
}
