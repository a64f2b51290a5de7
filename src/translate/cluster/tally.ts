/**
 * What the coordinator knows about the cluster during a run: per-worker batches and words, batches
 * retried after a lost worker, refused workers. Formats the progress text and the summary lines.
 */
import { describeDifference, type BatchJobResult, type WorkerAnnouncement } from './protocol.js';
import type { ModelInfo } from '../../types.js';

interface WorkerTally {
  host: string;
  pid: number;
  local: boolean;
  batches: number;
  words: number;
  firstStart: number;
  lastFinish: number;
}

export interface ClusterSnapshot {
  readonly workersConnected: number;
  readonly waiting: number;
  readonly inFlight: number;
  readonly wordsPerSecond: number;
}

export class ClusterTally {
  private readonly workers = new Map<string, WorkerTally>();
  readonly retried = new Set<string>();
  readonly refused = new Map<string, WorkerAnnouncement>();
  /** Segments the coordinator found in the shared memory, so they were never sent. */
  sharedMemoryHits = 0;
  /** Batches sent again because Redis had lost them. */
  resent = 0;
  private wordsDone = 0;
  private firstSent: number | undefined;

  sent(): void {
    this.firstSent ??= Date.now();
  }

  finished(result: BatchJobResult): void {
    const w = result.worker;
    const t = this.workers.get(w.id) ?? { host: w.host, pid: w.pid, local: w.local, batches: 0, words: 0, firstStart: result.startedAt, lastFinish: result.finishedAt };
    t.batches++;
    t.words += result.words;
    t.firstStart = Math.min(t.firstStart, result.startedAt);
    t.lastFinish = Math.max(t.lastFinish, result.finishedAt);
    this.workers.set(w.id, t);
    this.wordsDone += result.words;
  }

  wordsPerSecond(now = Date.now()): number {
    if (this.firstSent === undefined) return 0;
    const s = (now - this.firstSent) / 1000;
    return s > 0 ? this.wordsDone / s : 0;
  }

  static statusText(s: ClusterSnapshot): string {
    return `workers ${s.workersConnected} · batches ${s.waiting} waiting/${s.inFlight} in flight · ${s.wordsPerSecond.toFixed(0)} words/s`;
  }

  /** Summary lines: one per worker that did batches of this run, then retries and refusals. */
  summaryLines(model: ModelInfo): string[] {
    const lines: string[] = [];
    if (this.workers.size > 0) {
      lines.push(`Workers: ${this.workers.size}`);
      for (const t of this.workers.values()) {
        const secs = Math.max(0.001, (t.lastFinish - t.firstStart) / 1000);
        lines.push(`  ${t.host} (pid ${t.pid}${t.local ? ', --local-workers' : ''}): ${t.batches} batches, ${(t.words / secs).toFixed(1)} words/s`);
      }
    } else {
      lines.push('Workers: none took a batch of this run (everything came from the memory)');
    }
    if (this.sharedMemoryHits > 0) lines.push(`Shared memory: ${this.sharedMemoryHits} segments translated earlier by the cluster`);
    lines.push(
      this.retried.size > 0
        ? `Retried batches: ${this.retried.size} (their worker was lost; another worker redid them): ${[...this.retried].join(', ')}`
        : 'Retried batches: 0',
    );
    if (this.resent > 0) lines.push(`Batches sent again after Redis lost them: ${this.resent}`);
    for (const w of this.refused.values()) {
      lines.push(`Refused: worker ${w.host} (pid ${w.pid}) has another model or decoding settings (${describeDifference(model, w.model)}) and took no batch of this run`);
    }
    return lines;
  }
}
