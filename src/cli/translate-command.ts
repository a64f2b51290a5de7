/** `dwibahasa translate`: command-line flags into the library's translate(), and its events onto the terminal. */
import { UsageError } from '../errors.js';
import { translate } from '../index.js';
import type { RunSummary } from '../pipeline/run.js';
import { createProgress } from '../progress.js';
import type { EngineStats } from '../translate/engine.js';
import { writeFileAtomic } from '../write/atomic.js';
import { parse, setOverrides } from './args.js';
import { RunReporter } from './report.js';
import { exitWhenIdle, localWorkersFlag } from './queue-option.js';
import { ClusterTally } from '../translate/cluster/tally.js';
import { QueueError } from '../translate/cluster/errors.js';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  config: { type: 'string', short: 'c' },
  model: { type: 'string', short: 'm' },
  dtype: { type: 'string' },
  formats: { type: 'string', short: 'f' },
  concurrency: { type: 'string' },
  threads: { type: 'string' },
  'batch-size': { type: 'string' },
  beams: { type: 'string' },
  force: { type: 'boolean' },
  'no-memory': { type: 'boolean' },
  'reset-memory': { type: 'boolean' },
  set: { type: 'string', multiple: true },
  queue: { type: 'string', short: 'q' },
  'local-workers': { type: 'string' },
  // For the benchmark: machine-readable run statistics.
  'stats-json': { type: 'string' },
} as const;

export async function translateCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, 'translate');
  if (positionals.length === 0) throw new UsageError('translate: give at least one file or folder to translate');
  if (values.out === undefined) throw new UsageError('translate: --out DIR is required (the folder for the bilingual files)');
  const overrides = setOverrides(values.set);
  const flag = (name: string, key: string): void => {
    const v = values[name as keyof typeof values];
    if (typeof v === 'string') overrides[key] = v;
  };
  flag('dtype', 'model.dtype');
  flag('formats', 'output.formats');
  flag('concurrency', 'engine.workers');
  flag('threads', 'engine.threads');
  flag('batch-size', 'queue.batch_size');
  flag('beams', 'decoding.beams');
  if (values['no-memory']) overrides['memory.enabled'] = 'false';

  const isTTY = Boolean(process.stderr.isTTY);
  const reporter = new RunReporter({ stream: process.stderr, isTTY });
  let segmentsQueued = 0;
  const localWorkers = localWorkersFlag(values['local-workers']);
  const result = await translate({
    inputs: positionals,
    out: values.out,
    ...(values.config !== undefined ? { configFile: values.config } : {}),
    settings: overrides,
    ...(values.model !== undefined ? { model: values.model } : {}),
    force: Boolean(values.force),
    resetMemory: Boolean(values['reset-memory']),
    modelProgress: createProgress({ stream: process.stderr, isTTY }),
    ...(values.queue !== undefined ? { queue: values.queue } : {}),
    ...(localWorkers !== undefined ? { localWorkers } : {}),
    onEvent: (e) => {
      if (e.type === 'file-start') reporter.onFileQueued();
      else if (e.type === 'cluster') reporter.cluster(ClusterTally.statusText(e));
      else if (e.type === 'file-done' || e.type === 'file-failed') reporter.onFileDone(e.outcome);
      else if (e.type === 'log') reporter.line(e.message);
      else if (e.type === 'warning') reporter.line(`warning: ${e.message}`);
      else if (e.type === 'note') reporter.line(`note: ${e.message}`);
      else if (e.segmentsQueued > segmentsQueued) {
        // Progress events carry totals; the reporter counts increments.
        reporter.onSegmentsQueued(e.segmentsQueued - segmentsQueued);
        segmentsQueued = e.segmentsQueued;
      }
    },
  }).catch((err: unknown) => {
    // A queue that failed must not leave its connections holding the process.
    if (values.queue !== undefined || err instanceof QueueError) exitWhenIdle();
    throw err;
  });
  reporter.finish(result, values.out);
  for (const l of result.cluster ?? []) reporter.line(l);
  if (result.stoppedBy !== undefined) {
    reporter.line(`stopped early: ${result.stoppedBy.message}`);
    if (result.cluster) exitWhenIdle();
    return result.stoppedBy.exitCode;
  }
  if (values['stats-json'] !== undefined) {
    await writeFileAtomic(values['stats-json'], JSON.stringify(runStats(result, result.engine), null, 2) + '\n');
  }
  if (result.cluster) exitWhenIdle();
  return result.files.some((f) => f.status === 'failed') ? 1 : 0;
}

/** The numbers the benchmark reads from a run. */
export function runStats(summary: RunSummary, engine: EngineStats | undefined): Record<string, number> {
  const files = summary.files;
  const workers = engine?.workers ?? 1;
  return {
    files_done: files.filter((f) => f.status === 'done').length,
    files_failed: files.filter((f) => f.status === 'failed').length,
    files_skipped: files.filter((f) => f.status === 'skipped').length,
    segments: files.reduce((n, f) => n + f.segments, 0),
    source_words: files.reduce((n, f) => n + f.words, 0),
    segments_translated: summary.queue.segmentsTranslated,
    model_calls: summary.queue.modelCalls,
    engine_calls: engine?.calls ?? 0,
    generated_tokens: summary.queue.generatedTokens,
    elapsed_ms: summary.elapsedMs,
    ort_ms: engine?.ortMs ?? 0,
    workers,
    ort_time_share: engine ? engine.ortMs / (summary.elapsedMs * workers) : 0,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    // The whole process, workers and model load included: steadier than wall time on a busy machine.
    cpu_ms: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  };
}
