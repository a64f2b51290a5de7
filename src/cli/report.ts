/**
 * What the user sees during and after a run. During (on stderr): on a terminal one redrawn
 * progress line (files, segments as batches come back, rate, elapsed, ETA; drawn by progress.ts),
 * otherwise one log line per finished file. After (on stdout, so `> log` keeps it): the summary.
 * Every text from an input (file names, quoted sentences) goes through terminalSafe.
 */
import path from 'node:path';
import type { SkipReason } from '../discover/walk.js';
import type { ProgressCounts } from '../index.js';
import type { FileOutcome, RunSummary, SkippedFiles } from '../pipeline/run.js';
import { formatDuration, progressBar, StatusLine } from '../progress.js';
import { safeLines, terminalSafe } from '../safe-text.js';
import { FLAG_MEANINGS, type SegmentFlag } from '../types.js';
import { EtaEstimator } from './eta.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface ReporterOptions {
  /** Progress and per-file lines (stderr). */
  readonly stream: NodeJS.WritableStream & { columns?: number };
  readonly isTTY: boolean;
  readonly verbosity?: Verbosity;
  readonly now?: () => number;
  /** Redraw the line this often even without events, so the clock moves (default 1000 ms; 0 = never). */
  readonly tickMs?: number;
}


/** "1 segment", "2 segments"; `many` for irregular plurals. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** A failure reason without the file's own path in front (read errors start with it): the path is printed once. */
export function reasonFor(o: FileOutcome, reason: string): string {
  return reason.startsWith(`${o.input}: `) ? reason.slice(o.input.length + 2) : reason;
}

export class RunReporter {
  private counts: ProgressCounts = { filesFound: undefined, filesStarted: 0, filesFinished: 0, filesPlanned: 0, segmentsQueued: 0, segmentsFinished: 0 };
  private failed = 0;
  private barFraction = 0;
  private clusterText = '';
  private clusterPrinted = -Infinity;
  private readonly started: number;
  private readonly now: () => number;
  private readonly status: StatusLine;
  private readonly eta: EtaEstimator;
  private readonly verbosity: Verbosity;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ReporterOptions) {
    this.now = opts.now ?? (() => Date.now());
    this.started = this.now();
    this.verbosity = opts.verbosity ?? 'normal';
    this.status = new StatusLine({ stream: opts.stream, isTTY: this.drawsLine, now: this.now });
    this.eta = new EtaEstimator(this.started);
    const tick = opts.tickMs ?? 1000;
    if (this.drawsLine && tick > 0) {
      this.timer = setInterval(() => this.draw(), tick);
      this.timer.unref();
    }
  }

  private get drawsLine(): boolean {
    return this.opts.isTTY && this.verbosity !== 'quiet';
  }

  onProgress(counts: ProgressCounts): void {
    this.counts = counts;
    this.draw();
  }

  onFileDone(o: FileOutcome): void {
    if (o.status === 'failed') this.failed++;
    const perFile = this.verbosity === 'verbose' || (this.verbosity === 'normal' && !this.opts.isTTY);
    if (perFile) {
      const name = terminalSafe(o.input);
      if (o.status === 'failed') this.line(`FAILED ${name}: ${terminalSafe(reasonFor(o, o.failures[0] ?? ''))}`);
      else if (o.status === 'skipped') this.line(`unchanged ${name}`);
      else this.line(`done ${name} (${plural(o.segments, 'segment')}, ${(o.ms / 1000).toFixed(1)} s)`);
    }
    this.draw();
  }

  /**
   * The cluster's state (workers, batches, words/s) for the progress line: on a terminal shown at
   * its end; otherwise printed as a line at most every 10 s (not when quiet).
   */
  cluster(text: string): void {
    this.clusterText = text;
    if (this.drawsLine) {
      this.status.redrawNext();
      this.draw();
    } else if (this.verbosity !== 'quiet' && this.now() - this.clusterPrinted >= 10_000) {
      this.clusterPrinted = this.now();
      this.line(text);
    }
  }

  /** A note (model preparation…): shown unless quiet. */
  log(text: string): void {
    if (this.verbosity !== 'quiet') this.line(text);
  }

  /** A warning: shown even when quiet. */
  warn(text: string): void {
    this.line(`warning: ${text}`);
  }

  /** Ends the progress line for good and prints `text` under it (Ctrl-C). */
  interrupt(text: string): void {
    this.stopTimer();
    this.status.clear();
    this.opts.stream.write(`${safeLines(text)}\n`);
  }

  /** The run is over: the progress line goes, the summary follows on stdout. */
  finish(): void {
    this.stopTimer();
    this.status.clear();
  }

  private line(text: string): void {
    this.status.log(safeLines(text));
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The progress line's text (exposed for tests). */
  text(): string {
    const c = this.counts;
    const t = this.now();
    const elapsed = (t - this.started) / 1000;
    const total = this.eta.estimateTotal(c);
    const est = this.eta.update(t, c.segmentsFinished, total);
    // The bar never goes back, even when the estimated total grows.
    const frac = Math.max(this.barFraction, total > 0 ? c.segmentsFinished / total : c.filesFound ? c.filesFinished / c.filesFound : 0);
    this.barFraction = frac;
    const files = `files ${c.filesFinished}/${c.filesFound ?? `${c.filesStarted}+ (counting files…)`}`;
    const eta = `ETA ${est.seconds === undefined ? '--:--' : formatDuration(est.seconds)}`;
    const head = `${files}${this.failed > 0 ? ` (${this.failed} failed)` : ''} · segments ${c.segmentsFinished}/${c.segmentsQueued}`;
    // On a queue the cluster's figures take the place of the bar and seg/s, to stay within a terminal line.
    if (this.clusterText) return `${head} · ${this.clusterText} · ${formatDuration(elapsed)} elapsed · ${eta}`;
    return `${progressBar(frac)} ${head} · ${est.rate.toFixed(1)} seg/s · ${formatDuration(elapsed)} elapsed · ${eta}`;
  }

  private draw(): void {
    if (this.drawsLine) this.status.show(this.text());
  }
}

/** What the run summary needs beyond the pipeline's numbers. */
export interface SummaryExtras {
  readonly aborted?: boolean;
  readonly memoryPath?: string | undefined;
}

export function formatSummary(summary: RunSummary & SummaryExtras, outDir: string): string {
  const done = summary.files.filter((f) => f.status === 'done').length;
  const skipped = summary.files.filter((f) => f.status === 'skipped').length;
  const failed = summary.files.filter((f) => f.status === 'failed');
  const seconds = summary.elapsedMs / 1000;
  const s = summary.segments;
  const segments = summary.files.reduce((n, f) => n + f.segments, 0);
  const lines = [
    `Files: ${done} translated, ${skipped} unchanged, ${failed.length} failed (${summary.files.length} in all) → ${terminalSafe(path.resolve(outDir))}`,
    `Segments: ${plural(segments, 'segment')} sent for translation = ${s.segmentsTranslated} by the model + ${s.segmentsFromMemory} from the translation memory` +
      ` + ${s.segmentsDeduplicated} repeated in this run + ${s.failedSegments} failed` +
      (skipped > 0 ? ` (${plural(skipped, 'unchanged file')} not sent again)` : ''),
    `Model: ${plural(s.modelCalls, 'call')}, ${plural(s.generatedTokens, 'token')} generated` +
      (summary.retries.modelCalls > 0
        ? `; quality-guard retries: ${plural(summary.retries.segmentsTranslated, 'segment')} in ${plural(summary.retries.modelCalls, 'call')}, ${plural(summary.retries.generatedTokens, 'token')}`
        : '') +
      ` (${seconds > 0 ? (summary.queue.generatedTokens / seconds).toFixed(1) : '0'} tokens/s in all) · elapsed ${formatDuration(seconds)}`,
  ];
  lines.push(...skippedLines(summary.skipped));
  lines.push(...skippedLines(summary.skipped));
  const flags: Partial<Record<SegmentFlag, number>> = {};
  for (const f of summary.files) for (const [k, v] of Object.entries(f.flags)) flags[k as SegmentFlag] = (flags[k as SegmentFlag] ?? 0) + (v ?? 0);
  const flagged = Object.entries(flags) as Array<[SegmentFlag, number]>;
  if (flagged.length > 0) {
    const n = flagged.reduce((a, [, v]) => a + v, 0);
    lines.push(`Flagged: ${plural(n, 'flag')} on sentences to check, marked ⚠ in the outputs:`);
    for (const [k, v] of flagged) lines.push(`  ${k} ${v}: ${FLAG_MEANINGS[k]}`);
  }
  if (failed.length > 0) {
    lines.push('Failures:');
    for (const f of failed) {
      const reasons = f.failures.length > 0 ? f.failures : ['(no reason given)'];
      lines.push(`  ${terminalSafe(f.input)}: ${terminalSafe(reasonFor(f, reasons[0]!))}`);
      for (const reason of reasons.slice(1, 5)) lines.push(`    ${terminalSafe(reasonFor(f, reason))}`);
      if (reasons.length > 5) lines.push(`    … and ${reasons.length - 5} more (see the run manifest OUT/.dwibahasa/run.json)`);
    }
  }
  if (summary.aborted) {
    const kept = summary.memoryPath ? `the translation memory (${terminalSafe(summary.memoryPath)})` : 'nothing else (the memory is off)';
    lines.push(
      `Stopped early (Ctrl-C): ${plural(done, 'file')} written; every sentence translated so far is kept in ${kept}.`,
      'Run the same command again to resume: finished files are skipped, kept sentences are not translated again.',
    );
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
    const list = byExt.map(([ext, c]) => `${terminalSafe(ext)} ${c}`).join(', ');
    lines.push(`${plural(total, 'file')} skipped: ${why[reason]} (${list})`);
  }
  return lines;
}
