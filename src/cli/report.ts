/**
 * What the user sees during and after a run: on a terminal one redrawn progress line (files,
 * segments, rate, ETA; drawn by progress.ts); otherwise one log line per finished file. Then a summary.
 */
import path from 'node:path';
import type { SkipReason } from '../discover/walk.js';
import type { FileOutcome, RunEvents, RunSummary, SkippedFiles } from '../pipeline/run.js';
import { formatDuration, progressBar, StatusLine } from '../progress.js';
import type { SegmentFlag } from '../types.js';

export interface ReporterOptions {
  readonly stream: NodeJS.WritableStream;
  readonly isTTY: boolean;
  readonly now?: () => number;
}

export class RunReporter implements RunEvents {
  private filesQueued = 0;
  private filesDone = 0;
  private filesFailed = 0;
  private segmentsQueued = 0;
  private segmentsDone = 0;
  private readonly started: number;
  private readonly now: () => number;
  private readonly status: StatusLine;
  private clusterText = '';
  private clusterPrinted = -Infinity;

  constructor(private readonly opts: ReporterOptions) {
    this.now = opts.now ?? (() => Date.now());
    this.started = this.now();
    this.status = new StatusLine({ stream: opts.stream, isTTY: opts.isTTY, now: this.now });
  }

  onFileQueued(): void {
    this.filesQueued++;
    this.draw();
  }

  onSegmentsQueued(count: number): void {
    this.segmentsQueued += count;
    this.draw();
  }

  onFileDone(o: FileOutcome): void {
    if (o.status === 'failed') this.filesFailed++;
    else this.filesDone++;
    this.segmentsDone += o.segments;
    if (!this.opts.isTTY) {
      const what = o.status === 'failed' ? 'FAILED' : o.status === 'skipped' ? 'unchanged' : 'done';
      const detail = o.status === 'failed' ? `: ${o.failures[0] ?? ''}` : ` (${o.segments} segments, ${(o.ms / 1000).toFixed(1)} s)`;
      this.line(`${what} ${o.input}${detail}`);
    } else if (o.status === 'failed') {
      this.line(`FAILED ${o.input}: ${o.failures[0] ?? ''}`);
    }
    this.draw();
  }

  /**
   * The cluster's state (workers, batches, words/s) for the progress line: on a terminal shown at
   * its end; otherwise printed as a line at most every 10 s.
   */
  cluster(text: string): void {
    this.clusterText = text;
    if (this.opts.isTTY) {
      this.status.redrawNext();
      this.draw();
    } else if (this.now() - this.clusterPrinted >= 10_000) {
      this.clusterPrinted = this.now();
      this.line(text);
    }
  }

  /** A message that must not be overwritten by the progress line. */
  line(text: string): void {
    this.status.log(text);
  }

  private draw(): void {
    if (!this.opts.isTTY) return;
    const elapsed = (this.now() - this.started) / 1000;
    const rate = elapsed > 0 ? this.segmentsDone / elapsed : 0;
    const left = this.segmentsQueued - this.segmentsDone;
    const eta = rate > 0 ? formatDuration(left / rate) : '--:--';
    const frac = this.segmentsQueued > 0 ? this.segmentsDone / this.segmentsQueued : 0;
    const files = `files ${this.filesDone + this.filesFailed}/${this.filesQueued}` + (this.filesFailed > 0 ? ` (${this.filesFailed} failed)` : '');
    const segments = `segments ${this.segmentsDone}/${this.segmentsQueued}`;
    // On a queue the cluster's figures take the place of the bar and seg/s, to stay within a terminal line.
    const text = this.clusterText
      ? `${files} · ${segments} · ${this.clusterText} · ETA ${eta}`
      : `${progressBar(frac)} ${files} · ${segments} · ${rate.toFixed(1)} seg/s · ETA ${eta}`;
    this.status.show(text);
  }

  finish(summary: RunSummary, outDir: string): void {
    this.status.clear();
    this.opts.stream.write(formatSummary(summary, outDir) + '\n');
  }
}

export function formatSummary(summary: RunSummary, outDir: string): string {
  const done = summary.files.filter((f) => f.status === 'done').length;
  const skipped = summary.files.filter((f) => f.status === 'skipped').length;
  const failed = summary.files.filter((f) => f.status === 'failed');
  const seconds = summary.elapsedMs / 1000;
  const q = summary.queue;
  const segments = summary.files.reduce((n, f) => n + f.segments, 0);
  const lines = [
    `Files: ${done} translated, ${skipped} unchanged, ${failed.length} failed → ${path.resolve(outDir)}`,
    `Segments: ${segments} · ${q.segmentsTranslated} model translations (quality-guard retries included) in ${q.modelCalls} calls · ${q.segmentsFromMemory} from memory · ${q.segmentsDeduplicated} repeats`,
    `Generated tokens: ${q.generatedTokens} (${seconds > 0 ? (q.generatedTokens / seconds).toFixed(1) : '0'} tokens/s) · elapsed ${formatDuration(seconds)}`,
  ];
  lines.push(...skippedLines(summary.skipped));
  const flags: Partial<Record<SegmentFlag, number>> = {};
  for (const f of summary.files) for (const [k, v] of Object.entries(f.flags)) flags[k as SegmentFlag] = (flags[k as SegmentFlag] ?? 0) + (v ?? 0);
  const flagText = Object.entries(flags).map(([k, v]) => `${k} ${v}`).join(', ');
  if (flagText) lines.push(`Flagged segments: ${flagText} (marked in the outputs)`);
  if (failed.length > 0) {
    lines.push('Failures:');
    for (const f of failed) for (const reason of f.failures.slice(0, 5)) lines.push(`  ${f.input}: ${reason}`);
  }
  return lines.join('\n');
}

/** "12 files skipped: not matched by input.include (*.docx 9, *.pdf 3)". */
export function skippedLines(skipped: SkippedFiles | undefined): string[] {
  if (skipped === undefined) return [];
  const why: Record<SkipReason, string> = { 'not-included': 'not matched by input.include', excluded: 'matched by input.exclude' };
  const lines: string[] = [];
  for (const reason of ['not-included', 'excluded'] as const) {
    const byExt = Object.entries(skipped[reason]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const total = byExt.reduce((n, [, c]) => n + c, 0);
    if (total === 0) continue;
    const list = byExt.map(([ext, c]) => `${ext} ${c}`).join(', ');
    lines.push(`${total} file${total === 1 ? '' : 's'} skipped: ${why[reason]} (${list})`);
  }
  return lines;
}
