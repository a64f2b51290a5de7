/** One run of each benchmark side, as a child process, reduced to the numbers the report needs. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BaselineResult } from './baseline.js';
import { describeFailure, runChild } from './child.js';

/** A benchmark run that failed: which side, and what to look at. */
export class BenchError extends Error {
  constructor(message: string, readonly side: 'baseline' | 'dwibahasa' | 'setup') {
    super(message);
    this.name = 'BenchError';
  }
}

export interface RunNumbers {
  /** Pipeline wall time, model load excluded. */
  readonly elapsed_ms: number;
  /** The child's wall time from spawn to exit (Node start-up and model load included). */
  readonly total_ms: number;
  readonly load_ms: number | null;
  readonly source_words: number;
  readonly generated_tokens: number;
  readonly ort_time_share: number;
  readonly peak_rss_mb: number;
}

export interface BaselineRun extends RunNumbers {
  readonly dtype: Record<string, string>;
  readonly config_num_beams: number | null;
  readonly paragraphs: number;
}

export interface DwibahasaRun extends RunNumbers {
  readonly beams: number | null;
  readonly workers: number;
  readonly segments: number;
  readonly model_calls: number;
  readonly engine_calls: number;
  readonly files_done: number;
}

export interface SideContext {
  readonly repoRoot: string;
  readonly modelDir: string;
  readonly corpusDir: string;
  readonly cacheDir: string;
  readonly files: number;
}

/** Temp folders alive right now, removed on exit even after Ctrl-C. */
const liveTemps = new Set<string>();
export function removeLiveTemps(): void {
  for (const d of liveTemps) rmSync(d, { recursive: true, force: true });
  liveTemps.clear();
}

function lastJsonLine(stdout: string): unknown {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (line === undefined) throw new Error('no JSON line on stdout');
  return JSON.parse(line);
}

export async function runBaseline(ctx: SideContext): Promise<BaselineRun> {
  const script = path.join(ctx.repoRoot, 'dist', 'bench', 'baseline.js');
  const r = await runChild([script, '--model', ctx.modelDir, '--corpus', ctx.corpusDir, '--cache', ctx.cacheDir], { cwd: ctx.repoRoot });
  if (r.code !== 0) throw new BenchError(describeFailure('the transformers.js baseline (node dist/bench/baseline.js)', r), 'baseline');
  let b: BaselineResult;
  try {
    b = lastJsonLine(r.stdout) as BaselineResult;
  } catch (err) {
    throw new BenchError(`the baseline printed no result (${(err as Error).message}); stdout: ${r.stdout.slice(-500)}`, 'baseline');
  }
  return {
    elapsed_ms: b.elapsed_ms,
    total_ms: r.wallMs,
    load_ms: b.load_ms,
    source_words: b.source_words,
    generated_tokens: b.generated_tokens,
    ort_time_share: b.ort_time_share,
    peak_rss_mb: b.peak_rss_mb,
    dtype: b.dtype,
    config_num_beams: b.config_num_beams,
    paragraphs: b.paragraphs,
  };
}

export async function runDwibahasa(ctx: SideContext, beams: number | undefined, sets: readonly string[], extraArgs: readonly string[] = []): Promise<DwibahasaRun> {
  // A fresh folder per run: no manifest or memory from an earlier run can skip work. The child's
  // working folder is this temp folder too, so a config.yaml where the bench is started is not read
  // and the tool runs on its defaults.
  const tmp = mkdtempSync(path.join(tmpdir(), 'dwibahasa-bench-'));
  liveTemps.add(tmp);
  try {
    const statsFile = path.join(tmp, 'stats.json');
    const args = [
      path.join(ctx.repoRoot, 'bin', 'dwibahasa.js'), 'translate', ctx.corpusDir,
      '--out', path.join(tmp, 'out'), '--model', ctx.modelDir, '--no-memory', '--force', '--stats-json', statsFile,
      ...(beams === undefined ? [] : ['--beams', String(beams)]),
      ...sets.flatMap((s) => ['--set', s]),
      ...extraArgs,
    ];
    const r = await runChild(args, { cwd: tmp });
    if (r.code !== 0) throw new BenchError(describeFailure(`dwibahasa translate (${args.slice(1).join(' ')})`, r), 'dwibahasa');
    let s: Record<string, number>;
    try {
      s = JSON.parse(readFileSync(statsFile, 'utf8')) as Record<string, number>;
    } catch (err) {
      throw new BenchError(`dwibahasa exited 0 but its --stats-json file ${statsFile} is unreadable: ${(err as Error).message}`, 'dwibahasa');
    }
    const num = (k: string): number => {
      const v = s[k];
      if (typeof v !== 'number') throw new BenchError(`dwibahasa's stats file has no number "${k}" (got ${JSON.stringify(v)})`, 'dwibahasa');
      return v;
    };
    if (num('files_done') !== ctx.files) {
      throw new BenchError(`dwibahasa translated ${num('files_done')} of ${ctx.files} corpus files (${num('files_failed')} failed)`, 'dwibahasa');
    }
    return {
      elapsed_ms: num('elapsed_ms'),
      total_ms: r.wallMs,
      load_ms: null,
      source_words: num('source_words'),
      generated_tokens: num('generated_tokens'),
      ort_time_share: num('ort_time_share'),
      peak_rss_mb: num('peak_rss_mb'),
      beams: beams ?? null,
      workers: num('workers'),
      segments: num('segments'),
      model_calls: num('model_calls'),
      engine_calls: num('engine_calls'),
      files_done: num('files_done'),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    liveTemps.delete(tmp);
  }
}
