/**
 * The benchmark's named rows (`--rows`): dwibahasa at greedy, 4 beams, 6 beams and the tool's
 * defaults, each run `runs` times and interleaved (run 1 of every row, then run 2, ...) so that a
 * machine whose load changes during the bench moves every row alike; and the single-article cold
 * start. With `--compare-fused` every dwibahasa row also runs with engine.fused_selection=false.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { summarize, type SideSummary } from './report.js';
import { BenchError, runDwibahasa, type DwibahasaRun, type SideContext } from './sides.js';
import { median, round } from './stats.js';

export const ROW_NAMES = ['greedy', 'beams4', 'beams6', 'defaults', 'cold'] as const;
export type RowName = (typeof ROW_NAMES)[number];

export interface RowSpec {
  readonly name: string;
  /** undefined: the tool's default (the model's num_beams). */
  readonly beams: number | undefined;
  /** Passed as --set; the `defaults` row leaves guard retries on. */
  readonly sets: readonly string[];
  readonly fused: boolean;
}

/** Parses `--rows a,b` (`all` = every row). */
export function parseRows(value: string): RowName[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.includes('all')) return [...ROW_NAMES];
  for (const n of names) if (!(ROW_NAMES as readonly string[]).includes(n)) throw new Error(`--rows: unknown row "${n}" (rows: ${ROW_NAMES.join(', ')}, all)`);
  if (names.length === 0) throw new Error('--rows needs at least one row');
  return names as RowName[];
}

/**
 * The dwibahasa rows to run. `benchSets`: the bench's --set list (guards.retry=false unless given);
 * `userSets`: the ones the user gave, the only ones the `defaults` row takes.
 */
export function rowSpecs(rows: readonly RowName[], benchSets: readonly string[], userSets: readonly string[], compareFused: boolean): RowSpec[] {
  const specs: RowSpec[] = [];
  for (const fused of compareFused ? [true, false] : [true]) {
    const off = fused ? [] : ['engine.fused_selection=false'];
    const suffix = fused ? '' : ' (unfused)';
    for (const r of rows) {
      if (r === 'greedy') specs.push({ name: `greedy${suffix}`, beams: 1, sets: [...benchSets, ...off], fused });
      if (r === 'beams4') specs.push({ name: `beams 4${suffix}`, beams: 4, sets: [...benchSets, ...off], fused });
      if (r === 'beams6') specs.push({ name: `beams 6${suffix}`, beams: 6, sets: [...benchSets, ...off], fused });
      if (r === 'defaults') specs.push({ name: `defaults${suffix}`, beams: undefined, sets: [...userSets, ...off], fused });
    }
  }
  return specs;
}

export interface RowResult {
  readonly spec: RowSpec;
  readonly runs: DwibahasaRun[];
  readonly summary: SideSummary;
}

/** Every row `runs` times, interleaved. */
export async function runRows(ctx: SideContext, specs: readonly RowSpec[], runs: number, corpusWords: number, log: (line: string) => void): Promise<RowResult[]> {
  const all = specs.map(() => [] as DwibahasaRun[]);
  for (let i = 0; i < runs; i++) {
    for (const [j, spec] of specs.entries()) {
      const r = await runDwibahasa(ctx, spec.beams, spec.sets);
      log(`${spec.name} run ${i + 1}/${runs}: ${(r.elapsed_ms / 1000).toFixed(2)} s (${(r.total_ms / 1000).toFixed(2)} s with start-up and load), peak RSS ${r.peak_rss_mb.toFixed(0)} MB`);
      all[j]!.push(r);
    }
  }
  return specs.map((spec, j) => ({ spec, runs: all[j]!, summary: summarize(all[j]!, corpusWords) }));
}

export interface ColdStart {
  readonly file: string;
  readonly words: number;
  readonly runs: number;
  /** Median wall time of `dwibahasa translate` from spawn to exit, model and its caches on disk. */
  readonly wall_ms: number;
  /** The same for one run whose models folder had no caches yet (the rewrites ran in it). */
  readonly first_run_wall_ms: number;
  readonly peak_rss_mb: number;
  readonly sets: readonly string[];
}

/**
 * `dwibahasa translate` on one sample article at the tool's defaults (all formats, guards on, the
 * model's 6 beams) with the bench's --set list (guard retries off unless asked: the random-weight
 * model trips the guards on most sentences, and one article's retries then measure the guards), as a
 * user runs it: a fresh process each time. The first run uses an empty models folder for the
 * rewrite caches; the timed runs then find them.
 */
export async function coldStart(ctx: SideContext, file: string, words: number, runs: number, userSets: readonly string[], log: (line: string) => void): Promise<ColdStart> {
  const input = mkdtempSync(path.join(tmpdir(), 'dwibahasa-cold-'));
  try {
    mkdirSync(path.join(input, 'in'));
    cpSync(file, path.join(input, 'in', path.basename(file)));
    const modelsRoot = path.join(input, 'models');
    const one = { ...ctx, corpusDir: path.join(input, 'in'), files: 1, modelsRoot };
    const first = await runDwibahasa(one, undefined, userSets);
    log(`cold start, empty caches: ${(first.total_ms / 1000).toFixed(2)} s`);
    const timed: DwibahasaRun[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await runDwibahasa(one, undefined, userSets);
      log(`cold start run ${i + 1}/${runs}: ${(r.total_ms / 1000).toFixed(2)} s`);
      timed.push(r);
    }
    if (timed.length === 0) throw new BenchError('cold start: no runs', 'setup');
    return {
      file: path.relative(ctx.repoRoot, file),
      words,
      runs,
      wall_ms: round(median(timed.map((r) => r.total_ms)), 0),
      first_run_wall_ms: round(first.total_ms, 0),
      peak_rss_mb: round(median(timed.map((r) => r.peak_rss_mb)), 0),
      sets: userSets,
    };
  } finally {
    rmSync(input, { recursive: true, force: true });
  }
}
