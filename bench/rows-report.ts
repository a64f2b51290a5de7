/** The report of `npm run bench -- --rows ...`: the rows' table or JSON, ratios, the cold start. */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { countWords, type WrittenCorpus } from './corpus.js';
import { formatTable, machineInfo, packageVersions, summarize, type SideSummary, type TableColumn } from './report.js';
import { coldStart, rowSpecs, runRows, type ColdStart, type RowName, type RowResult } from './rows.js';
import type { BenchOptions } from './run.js';
import type { BaselineRun, SideContext } from './sides.js';
import { round } from './stats.js';

const DEFAULT_COLD_FILE = path.join('samples', 'articles', 'as-rusia-bertemu-10-januari.txt');

/** `--rows`: the named rows, each with its ratio to the baseline, and the cold start. */
export async function benchRows(
  opts: BenchOptions,
  rows: readonly RowName[],
  ctx: SideContext,
  corpus: WrittenCorpus,
  baselineRuns: BaselineRun[],
  model: { dir: string; generated: boolean; ms: number },
  started: number,
  log: (line: string) => void,
): Promise<string> {
  const specs = rowSpecs(rows.filter((r) => r !== 'cold'), opts.sets, opts.userSets, opts.compareFused);
  const results: RowResult[] = specs.length > 0 ? await runRows(ctx, specs, opts.runs, corpus.words, log) : [];
  let cold: ColdStart | undefined;
  if (rows.includes('cold')) {
    const file = path.resolve(ctx.repoRoot, opts.coldFile ?? DEFAULT_COLD_FILE);
    cold = await coldStart(ctx, file, countWords(readFileSync(file, 'utf8')), opts.runs, opts.sets, log);
  }
  const base: SideSummary | undefined = baselineRuns.length > 0 ? summarize(baselineRuns, corpus.words) : undefined;
  const greedy = results.find((r) => r.spec.name === 'greedy');
  const unfused = (r: RowResult): RowResult | undefined => results.find((u) => !u.spec.fused && u.spec.name === `${r.spec.name} (unfused)`);
  const rowJson = results.map((r) => ({
    name: r.spec.name,
    beams: r.spec.beams ?? 'model default',
    sets: r.spec.sets,
    ...r.summary,
    ratio_to_baseline: base ? round(r.summary.words_per_s / base.words_per_s, 3) : null,
    time_ratio_to_greedy: greedy ? round(r.summary.elapsed_ms / greedy.summary.elapsed_ms, 3) : null,
    cpu_ratio_to_greedy: greedy && greedy.summary.cpu_ms && r.summary.cpu_ms !== null ? round(r.summary.cpu_ms / greedy.summary.cpu_ms, 3) : null,
    ...(r.spec.fused && unfused(r)
      ? {
          speedup_over_unfused: round(unfused(r)!.summary.elapsed_ms / r.summary.elapsed_ms, 3),
          cpu_saving_over_unfused: r.summary.cpu_ms !== null && unfused(r)!.summary.cpu_ms ? round(unfused(r)!.summary.cpu_ms! / r.summary.cpu_ms, 3) : null,
        }
      : {}),
  }));
  const benchMs = performance.now() - started;
  if (opts.json) {
    const first = results[0]?.summary;
    return (
      JSON.stringify(
        {
          baseline_words_per_s: base?.words_per_s ?? null,
          words_per_s: first?.words_per_s ?? null,
          ratio: first && base ? round(first.words_per_s / base.words_per_s, 3) : null,
          baseline: base ?? null,
          rows: rowJson,
          cold_start: cold ?? null,
          runs: { baseline: baselineRuns, rows: results.map((r) => ({ name: r.spec.name, runs: r.runs })) },
          corpus: { dir: corpus.dir, seed: opts.seed, articles: corpus.files, paragraphs: corpus.paragraphs, titles: corpus.titles, words: corpus.words },
          model: { dir: model.dir, generated_this_run: model.generated, generate_ms: round(model.ms, 0) },
          machine: { ...machineInfo(), available_parallelism: availableParallelism() },
          node: process.version,
          versions: packageVersions(ctx.repoRoot),
          quick: opts.quick,
          bench_wall_ms: round(benchMs, 0),
        },
        null,
        2,
      ) + '\n'
    );
  }
  const columns: TableColumn[] = [];
  if (base) columns.push({ title: 'transformers.js', summary: base });
  for (const r of results) columns.push({ title: r.spec.name, summary: r.summary, note: `beams ${r.spec.beams ?? 'model default'}, --set ${r.spec.sets.join(' ') || '(none)'}` });
  const m = machineInfo();
  const lines = [
    `dwibahasa benchmark: ${corpus.files} articles, ${corpus.paragraphs} paragraphs + ${corpus.titles} titles, ${corpus.words} words; ${opts.runs} runs per column (medians, rows interleaved)`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.total_memory_mb} MB; node ${process.version}`,
    '',
    formatTable(columns),
    '',
  ];
  for (const r of rowJson) {
    const parts = [r.ratio_to_baseline !== null ? `${r.ratio_to_baseline.toFixed(2)}× the baseline's words/s` : null, r.time_ratio_to_greedy !== null && r.name !== 'greedy' ? `${r.time_ratio_to_greedy.toFixed(2)}× greedy's time` : null, 'speedup_over_unfused' in r ? `${(r.speedup_over_unfused as number).toFixed(2)}× faster than unfused (CPU time ${r.cpu_saving_over_unfused ?? '?'}×)` : null, r.cpu_ratio_to_greedy !== null && r.name !== 'greedy' ? `${r.cpu_ratio_to_greedy.toFixed(2)}× greedy's CPU time` : null].filter((p) => p !== null);
    if (parts.length > 0) lines.push(`${r.name}: ${parts.join(', ')}`);
  }
  if (cold) lines.push(`cold start, ${cold.file} (${cold.words} words, 6 beams, --set ${cold.sets.join(' ')}): ${(cold.wall_ms / 1000).toFixed(2)} s median of ${cold.runs} (first run with empty caches ${(cold.first_run_wall_ms / 1000).toFixed(2)} s), peak RSS ${cold.peak_rss_mb} MB`);
  lines.push(`bench wall time ${(benchMs / 1000).toFixed(1)} s`);
  return lines.join('\n') + '\n';
}

