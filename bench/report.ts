/** Summaries of repeated runs (medians) and the two output forms: a table and one JSON object. */
import { cpus, totalmem, platform, release } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { median, perSecond, round } from './stats.js';
import type { RunNumbers } from './sides.js';

export interface SideSummary {
  readonly runs: number;
  /** Corpus words per second of pipeline time (model load excluded). */
  readonly words_per_s: number;
  /** Corpus words per second of the child's whole life (Node start-up and model load included). */
  readonly words_per_s_incl_load: number;
  readonly generated_tokens_per_s: number;
  readonly elapsed_ms: number;
  readonly total_ms: number;
  readonly peak_rss_mb: number;
  readonly ort_time_share: number;
  /** Median CPU time of the child (null when a run did not report it). */
  readonly cpu_ms: number | null;
}

/**
 * Medians over runs. Rates are computed per run and then the median taken, so one slow run
 * moves the figure no more than it moves the median time.
 */
export function summarize(runs: readonly RunNumbers[], corpusWords: number): SideSummary {
  return {
    runs: runs.length,
    words_per_s: round(median(runs.map((r) => perSecond(corpusWords, r.elapsed_ms)))),
    words_per_s_incl_load: round(median(runs.map((r) => perSecond(corpusWords, r.total_ms)))),
    generated_tokens_per_s: round(median(runs.map((r) => perSecond(r.generated_tokens, r.elapsed_ms)))),
    elapsed_ms: round(median(runs.map((r) => r.elapsed_ms)), 0),
    total_ms: round(median(runs.map((r) => r.total_ms)), 0),
    peak_rss_mb: round(median(runs.map((r) => r.peak_rss_mb)), 0),
    ort_time_share: round(median(runs.map((r) => r.ort_time_share)), 3),
    cpu_ms: runs.every((r) => r.cpu_ms !== undefined) ? round(median(runs.map((r) => r.cpu_ms!)), 0) : null,
  };
}

export function machineInfo(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    total_memory_mb: Math.round(totalmem() / 2 ** 20),
    os: `${platform()} ${release()}`,
  };
}

export function packageVersions(repoRoot: string): Record<string, string> {
  const version = (file: string): string => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
    } catch {
      return 'not installed';
    }
  };
  return {
    dwibahasa: version(path.join(repoRoot, 'package.json')),
    '@huggingface/transformers': version(path.join(repoRoot, 'node_modules', '@huggingface', 'transformers', 'package.json')),
    'onnxruntime-node': version(path.join(repoRoot, 'node_modules', 'onnxruntime-node', 'package.json')),
  };
}

export interface TableColumn {
  readonly title: string;
  readonly summary: SideSummary;
  readonly note?: string;
}

/** Human-readable comparison, one column per side or beam setting. */
export function formatTable(columns: readonly TableColumn[]): string {
  const rows: Array<[string, (s: SideSummary) => string]> = [
    ['source words/s (load excluded)', (s) => s.words_per_s.toFixed(1)],
    ['source words/s (incl. start + load)', (s) => s.words_per_s_incl_load.toFixed(1)],
    ['generated tokens/s', (s) => s.generated_tokens_per_s.toFixed(1)],
    ['elapsed, median (s)', (s) => (s.elapsed_ms / 1000).toFixed(2)],
    ['process wall, median (s)', (s) => (s.total_ms / 1000).toFixed(2)],
    ['peak RSS (MB)', (s) => s.peak_rss_mb.toFixed(0)],
    ['time inside ONNX Runtime', (s) => `${(s.ort_time_share * 100).toFixed(0)}%`],
    ['CPU time, median (s)', (s) => (s.cpu_ms === null ? '-' : (s.cpu_ms / 1000).toFixed(1))],
    ['runs', (s) => String(s.runs)],
  ];
  const header = ['', ...columns.map((c) => c.title)];
  const body = rows.map(([label, f]) => [label, ...columns.map((c) => f(c.summary))]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const notes = columns.filter((c) => c.note !== undefined).map((c) => `  ${c.title}: ${c.note}`);
  return [line(header), ...body.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
