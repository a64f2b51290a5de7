/**
 * `npm run bench`: dwibahasa end to end against plain transformers.js, on a generated model of
 * opus-mt-id-en size (random weights; "</s>" forced at input length, so both sides generate
 * input tokens − 1 tokens per text and do the same decoding work per token).
 *
 *   npm run bench [-- FLAGS]          (npm run -s bench -- --json: keeps npm's banner off stdout)
 *
 * Flags:
 *   --quick               small corpus (QUICK_PARAGRAPHS = 12 body paragraphs), 3 runs per side;
 *                         about 40 s on this 2-core machine once the model is cached
 *   --json                print ONE JSON object on stdout (all logs go to stderr)
 *   --paragraphs N        body paragraphs in the corpus (default 500; titles come on top)
 *   --runs R              runs per side; medians are reported (default 3)
 *   --beams B             beam width for dwibahasa (default 1: greedy, as the baseline decodes;
 *                         the tool's own default is the model's num_beams, 6 for opus-mt)
 *   --compare-beams A,B   dwibahasa only, once per beam setting; reports each setting's median
 *                         time relative to the first (e.g. 1,4: how much slower beams 4 is)
 *   --no-baseline         dwibahasa only (e.g. 500 vs 5000 paragraphs for scaling)
 *   --queue               many machines, on this one (see bench/queue.ts): the local engine with one
 *                         engine worker vs one `dwibahasa worker` process over a redis-server of its
 *                         own (the cost of the queue path), and two worker processes vs one
 *   --seed S              corpus seed (default 1)
 *   --set KEY=VALUE       passed to dwibahasa's --set (repeatable); guards.retry=false is added
 *                         unless a guards.retry value is given (see Guards below)
 *   -h, --help
 *
 * What runs:
 *   model   bench/.cache/model-full-seed0-both-eos/, generated once by generateTestModel and
 *           regenerated when missing or incomplete.
 *   corpus  bench/.cache/corpus-N-seed/: articles of 6–10 paragraphs of 1–5 real Indonesian
 *           sentences from samples/ (every sentence unique, see bench/corpus.ts), each with a title.
 *   (a)     node dist/bench/baseline.js: pipeline('translation', folder), library defaults,
 *           one paragraph (or title) per call. Note: transformers.js 4.3.2 generate() keeps only
 *           the top candidate per step, so the baseline decodes greedily whatever num_beams says.
 *   (b)     node bin/dwibahasa.js translate CORPUS --out TMP --model DIR --no-memory --force
 *           --stats-json FILE [--beams B]: the tool's defaults otherwise; a fresh TMP each run.
 * Guards: the random-weight model writes repetitive text that trips dwibahasa's guards on most
 * sentences, and their retries (repetition penalty, clause by clause) then cost several times the
 * first pass. The bench therefore runs with guards.retry=false (checks on, no retries) unless
 * `--set guards.retry=true` is given; the table counts any retries.
 * Words/s use the corpus word count (whitespace words of titles and paragraphs) for both sides.
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeCorpus, type WrittenCorpus } from './corpus.js';
import { ensureModel } from './model.js';
import { formatTable, machineInfo, packageVersions, summarize, type SideSummary, type TableColumn } from './report.js';
import { BenchError, removeLiveTemps, runBaseline, runDwibahasa, type BaselineRun, type DwibahasaRun, type SideContext } from './sides.js';
import { median, round } from './stats.js';
import { runQueueBench } from './queue.js';

/** Chosen by measurement so that `--quick` (3 runs per side, cached model) stays near a minute. */
export const QUICK_PARAGRAPHS = 12;
const DEFAULT_PARAGRAPHS = 500;

export interface BenchOptions {
  readonly quick: boolean;
  readonly json: boolean;
  readonly paragraphs: number;
  readonly runs: number;
  readonly beams: number | undefined;
  readonly compareBeams: number[] | undefined;
  readonly baseline: boolean;
  readonly queue: boolean;
  readonly seed: number;
  readonly sets: string[];
}

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

function positiveInt(flag: string, v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new BenchUsageError(`--${flag} must be an integer >= ${min}, got "${v}"`);
  return Number(v);
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      paragraphs: { type: 'string' },
      runs: { type: 'string' },
      beams: { type: 'string' },
      'compare-beams': { type: 'string' },
      'no-baseline': { type: 'boolean', default: false },
      queue: { type: 'boolean', default: false },
      seed: { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const compare = values['compare-beams']?.split(',').map((s) => positiveInt('compare-beams', s.trim())!);
  if (compare !== undefined && compare.length < 2) throw new BenchUsageError('--compare-beams needs at least two settings, e.g. 1,4');
  if (compare !== undefined && values.beams !== undefined) throw new BenchUsageError('give either --beams or --compare-beams, not both');
  if (compare !== undefined && values.queue) throw new BenchUsageError('give either --queue or --compare-beams, not both');
  for (const s of values.set) if (!s.includes('=')) throw new BenchUsageError(`--set wants KEY=VALUE, got "${s}"`);
  return {
    quick: values.quick,
    json: values.json,
    paragraphs: positiveInt('paragraphs', values.paragraphs) ?? (values.quick ? QUICK_PARAGRAPHS : DEFAULT_PARAGRAPHS),
    runs: positiveInt('runs', values.runs) ?? 3,
    // Like for like with the baseline, which decodes greedily: beams 1 unless asked otherwise.
    beams: positiveInt('beams', values.beams) ?? (compare === undefined ? GREEDY : undefined),
    compareBeams: compare,
    baseline: !values['no-baseline'] && compare === undefined && !values.queue,
    queue: values.queue,
    seed: positiveInt('seed', values.seed, 0) ?? 1,
    // The random-weight model trips the quality guards on most sentences (a real model rarely
    // does); their retries would measure the guards, not the translator. The checks still run.
    sets: values.set.some((s) => s.startsWith('guards.retry=')) ? values.set : ['guards.retry=false', ...values.set],
  };
}

const GREEDY = 1;

function modelBeams(modelDir: string): number | null {
  try {
    const n = (JSON.parse(readFileSync(path.join(modelDir, 'generation_config.json'), 'utf8')) as { num_beams?: unknown }).num_beams;
    return typeof n === 'number' ? n : null;
  } catch {
    return null;
  }
}

export async function bench(opts: BenchOptions, repoRoot: string): Promise<string> {
  const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  const cacheDir = path.join(repoRoot, 'bench', '.cache');
  const started = performance.now();
  const model = await ensureModel(cacheDir, log);
  const corpus: WrittenCorpus = writeCorpus(path.join(repoRoot, 'samples'), path.join(cacheDir, `corpus-${opts.paragraphs}-${opts.seed}`), {
    paragraphs: opts.paragraphs,
    seed: opts.seed,
  });
  log(`corpus: ${corpus.files} articles, ${corpus.paragraphs} paragraphs + ${corpus.titles} titles, ${corpus.words} words (from ${corpus.sentencesInPool} sample sentences) in ${corpus.dir}`);
  const ctx: SideContext = { repoRoot, modelDir: model.dir, corpusDir: corpus.dir, cacheDir, files: corpus.files };
  if (opts.queue) return queueReport(ctx, opts, corpus, log, started);

  const baselineRuns: BaselineRun[] = [];
  if (opts.baseline) {
    for (let i = 0; i < opts.runs; i++) {
      const r = await runBaseline(ctx);
      log(`baseline run ${i + 1}/${opts.runs}: ${(r.elapsed_ms / 1000).toFixed(2)} s (+ ${((r.load_ms ?? 0) / 1000).toFixed(2)} s load), dtype ${JSON.stringify(r.dtype)}`);
      baselineRuns.push(r);
    }
  }
  const beamSettings: Array<number | undefined> = opts.compareBeams ?? [opts.beams];
  const dwbRuns = new Map<number | undefined, DwibahasaRun[]>();
  for (const beams of beamSettings) {
    const runs: DwibahasaRun[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const r = await runDwibahasa(ctx, beams, opts.sets);
      log(`dwibahasa${beams === undefined ? '' : ` beams ${beams}`} run ${i + 1}/${opts.runs}: ${(r.elapsed_ms / 1000).toFixed(2)} s (${(r.total_ms / 1000).toFixed(2)} s with start-up and load), ${r.workers} workers`);
      runs.push(r);
    }
    dwbRuns.set(beams, runs);
  }

  const defaultBeams = modelBeams(model.dir);
  const effectiveBeams = (b: number | undefined): number | null => b ?? defaultBeams;
  const baseSummary: SideSummary | undefined = baselineRuns.length > 0 ? summarize(baselineRuns, corpus.words) : undefined;
  const dwbSummaries = beamSettings.map((b) => ({ beams: b, summary: summarize(dwbRuns.get(b)!, corpus.words) }));
  const main = dwbSummaries[0]!.summary;
  const ratio = baseSummary && baseSummary.words_per_s > 0 ? round(main.words_per_s / baseSummary.words_per_s, 3) : null;
  const beamRatios = opts.compareBeams
    ? dwbSummaries.map((d) => ({ beams: d.beams, median_elapsed_ms: d.summary.elapsed_ms, time_ratio_to_first: round(d.summary.elapsed_ms / dwbSummaries[0]!.summary.elapsed_ms, 3) }))
    : undefined;
  const firstBaseline = baselineRuns[0];
  const benchMs = performance.now() - started;

  if (opts.json) {
    const result = {
      baseline_words_per_s: baseSummary?.words_per_s ?? null,
      words_per_s: main.words_per_s,
      ratio,
      generated_tokens_per_s: main.generated_tokens_per_s,
      peak_rss_mb: main.peak_rss_mb,
      ort_time_share: main.ort_time_share,
      words_per_s_incl_load: main.words_per_s_incl_load,
      baseline: baseSummary
        ? { ...baseSummary, dtype: firstBaseline?.dtype, config_num_beams: firstBaseline?.config_num_beams, effective_decoding: 'greedy (transformers.js generate keeps the top candidate per step)', load_ms: round(median(baselineRuns.map((r) => r.load_ms ?? 0)), 0) }
        : null,
      dwibahasa: dwbSummaries.map((d) => ({ ...d.summary, beams: effectiveBeams(d.beams), dtype: 'q8 (tool default)', workers: dwbRuns.get(d.beams)![0]!.workers })),
      ...(beamRatios ? { compare_beams: beamRatios } : {}),
      runs: {
        baseline: baselineRuns,
        dwibahasa: beamSettings.map((b) => ({ beams: effectiveBeams(b), runs: dwbRuns.get(b)! })),
      },
      corpus: { dir: corpus.dir, seed: opts.seed, articles: corpus.files, paragraphs: corpus.paragraphs, titles: corpus.titles, words: corpus.words, pool_sentences: corpus.sentencesInPool },
      model: { dir: model.dir, generated_this_run: model.generated, generate_ms: round(model.ms, 0) },
      machine: { ...machineInfo(), available_parallelism: availableParallelism() },
      node: process.version,
      versions: packageVersions(repoRoot),
      quick: opts.quick,
      bench_wall_ms: round(benchMs, 0),
    };
    return JSON.stringify(result, null, 2) + '\n';
  }

  const columns: TableColumn[] = [];
  if (baseSummary && firstBaseline) {
    columns.push({ title: 'transformers.js', summary: baseSummary, note: `dtype ${Object.values(firstBaseline.dtype).join('/')} (library default), greedy in effect (num_beams ${firstBaseline.config_num_beams ?? '?'} in the config is not used by its generate), one paragraph per call` });
  }
  for (const d of dwbSummaries) {
    const runs = dwbRuns.get(d.beams)!;
    columns.push({
      title: `dwibahasa b${effectiveBeams(d.beams) ?? '?'}`,
      summary: d.summary,
      note: `q8, ${runs[0]!.workers} workers, beams ${effectiveBeams(d.beams) ?? '?'}${d.beams === undefined ? ' (tool default)' : ''}, run 1: ${runs[0]!.segments} segments, ${runs[0]!.model_calls} model calls, ${runs[0]!.engine_calls} engine calls`,
    });
  }
  const m = machineInfo();
  const lines = [
    `dwibahasa benchmark: ${corpus.files} articles, ${corpus.paragraphs} paragraphs + ${corpus.titles} titles, ${corpus.words} words; ${opts.runs} runs per column (medians)`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.total_memory_mb} MB; node ${process.version}`,
    '',
    formatTable(columns),
    '',
  ];
  if (ratio !== null) lines.push(`dwibahasa / transformers.js, source words per second: ${ratio.toFixed(2)}×`);
  if (beamRatios) for (const b of beamRatios.slice(1)) lines.push(`beams ${effectiveBeams(b.beams)} vs beams ${effectiveBeams(beamRatios[0]!.beams)}: ${b.time_ratio_to_first.toFixed(2)}× the time`);
  const retries = [...dwbRuns.values()].flat().reduce((n, r) => n + r.engine_calls - r.model_calls, 0);
  // Random weights produce repetitive text that trips the guards far more often than a real model.
  if (retries > 0) lines.push(`note: ${retries} engine calls beyond the queue's model calls over all dwibahasa runs (guard retries); random weights trip the guards far more than a real model would (compare with --set guards.retry=false)`);
  lines.push(`bench wall time ${(benchMs / 1000).toFixed(1)} s${model.generated ? ` (model generated this run in ${(model.ms / 1000).toFixed(1)} s)` : ''}`);
  return lines.join('\n') + '\n';
}

async function queueReport(ctx: SideContext, opts: BenchOptions, corpus: WrittenCorpus, log: (l: string) => void, started: number): Promise<string> {
  const runs = await runQueueBench(ctx, opts.runs, opts.beams, opts.sets, log);
  const local = summarize(runs.local, corpus.words);
  const q1 = summarize(runs.queue1, corpus.words);
  const q2 = summarize(runs.queue2, corpus.words);
  const queueCost = round(q1.words_per_s / local.words_per_s, 3);
  const scaling = round(q2.words_per_s / q1.words_per_s, 3);
  if (opts.json) {
    return JSON.stringify({ local, queue_1_worker: q1, queue_2_workers: q2, queue_vs_local: queueCost, two_vs_one_worker: scaling, runs, corpus: { words: corpus.words, articles: corpus.files }, machine: { ...machineInfo(), available_parallelism: availableParallelism() }, node: process.version }, null, 2) + '\n';
  }
  const m = machineInfo();
  return [
    `dwibahasa queue benchmark: ${corpus.files} articles, ${corpus.words} words; ${opts.runs} runs per column (medians); beams ${opts.beams ?? 'model default'}`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.total_memory_mb} MB; node ${process.version}`,
    '',
    formatTable([
      { title: 'local 1 engine worker', summary: local, note: 'translate --concurrency 1 (1 ONNX Runtime thread)' },
      { title: 'queue 1 worker', summary: q1, note: 'translate --queue (coordinator, no model) + 1 `dwibahasa worker --concurrency 1`' },
      { title: 'queue 2 workers', summary: q2, note: 'the same with 2 worker processes' },
    ]),
    '',
    `queue path, 1 worker / local at the same thread count, words per second: ${queueCost.toFixed(2)}× (target at least 0.90)`,
    `2 worker processes / 1, words per second: ${scaling.toFixed(2)}× (${availableParallelism()} cores here)`,
    `bench wall time ${((performance.now() - started) / 1000).toFixed(1)} s`,
  ].join('\n') + '\n';
}

async function main(): Promise<void> {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const onSignal = (sig: NodeJS.Signals): void => {
    removeLiveTemps();
    process.stderr.write(`bench: stopped by ${sig}; temporary folders removed\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let opts: BenchOptions | 'help';
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\nSee the flags at the top of bench/run.ts, or: npm run bench -- --help\n`);
    process.exitCode = 2;
    return;
  }
  if (opts === 'help') {
    const src = readFileSync(path.join(repoRoot, 'bench', 'run.ts'), 'utf8');
    process.stdout.write((src.match(/^\/\*\*([\s\S]*?)\*\//)?.[1] ?? '').replace(/^ \* ?/gm, '') + '\n');
    return;
  }
  try {
    process.stdout.write(await bench(opts, repoRoot));
  } catch (err) {
    const side = err instanceof BenchError ? ` (${err.side})` : '';
    process.stderr.write(`bench failed${side}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    removeLiveTemps();
  }
}

const entry = process.argv[1];
if (entry !== undefined && path.resolve(entry) === fileURLToPath(import.meta.url)) void main();
