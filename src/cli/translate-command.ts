/** `dwibahasa translate`: command-line flags into the library's translate(), and its events onto the terminal. */
import { settingProblem } from '../config/load.js';
import { UsageError } from '../errors.js';
import type { DryRunResult } from '../index.js';
import type { RunSummary } from '../pipeline/run.js';
import { createProgress } from '../progress.js';
import { safeLines, terminalSafe } from '../safe-text.js';
import type { EngineStats } from '../translate/engine.js';
import { writeFileAtomic } from '../write/atomic.js';
import type { Command } from './command.js';
import type { OptionSpec, ParsedArgs } from './options.js';
import { formatSummary, plural, reasonFor, RunReporter, type Verbosity } from './report.js';
import { exitWhenIdle, localWorkersFlag } from './queue-option.js';
import { ClusterTally } from '../translate/cluster/tally.js';
import { QueueError } from '../translate/cluster/errors.js';

/** Flags that set one config key each: the flag, the key, and the flag's help. */
const SETTING_FLAGS: ReadonlyArray<OptionSpec & { readonly key: string }> = [
  { name: 'dtype', kind: 'string', value: 'q8|fp32', default: 'q8', key: 'model.dtype', help: 'model weights: int8 (faster) or full precision' },
  { name: 'formats', short: 'f', kind: 'string', value: 'LIST', default: 'md,html,json,txt,tmx', key: 'output.formats', help: 'outputs to write, comma-separated' },
  { name: 'concurrency', kind: 'string', value: 'N', default: 'one per core', key: 'engine.workers', help: 'engine workers running model calls at once' },
  { name: 'threads', kind: 'string', value: 'N', default: '1', key: 'engine.threads', help: 'ONNX Runtime threads per worker' },
  { name: 'batch-size', kind: 'string', value: 'N', default: '16', key: 'queue.batch_size', help: 'most segments per model call' },
  { name: 'beams', kind: 'string', value: 'N', default: "the model's num_beams, 6 for opus-mt-id-en", key: 'decoding.beams', help: 'beam width; 1 = greedy, fastest' },
];

const OPTIONS: readonly OptionSpec[] = [
  { name: 'out', short: 'o', kind: 'string', value: 'DIR', help: 'output folder (required); outputs mirror the input tree' },
  { name: 'config', short: 'c', kind: 'string', value: 'FILE', default: './config.yaml when present', help: 'configuration file' },
  { name: 'model', short: 'm', kind: 'string', value: 'ID|FOLDER', default: 'Xenova/opus-mt-id-en', help: 'model id in the models folder, or a model folder' },
  ...SETTING_FLAGS,
  { name: 'force', kind: 'boolean', help: 'redo every file, even when its outputs are current' },
  { name: 'no-memory', kind: 'boolean', help: 'do not use the translation memory' },
  { name: 'reset-memory', kind: 'boolean', help: 'move an unusable translation memory aside and start a fresh one' },
  { name: 'set', kind: 'string', multiple: true, value: 'KEY=VALUE', help: 'set any config key, e.g. --set queue.batch_tokens=2048 or --set glossary.DPR=House' },
  { name: 'dry-run', short: 'n', kind: 'boolean', help: 'say what would be translated (files, segments, how many already in the memory); loads no model, writes nothing' },
  { name: 'queue', short: 'q', kind: 'string', value: 'URL', default: 'queue.redis of the config (REDIS_URL overrides)', help: 'many machines: send batches to workers over Redis (see README "Many machines")' },
  { name: 'local-workers', kind: 'string', value: 'N', default: '0', help: 'with --queue: N engine workers of this machine take batches too' },
  { name: 'quiet', kind: 'boolean', help: 'no progress and no summary; failures and warnings only' },
  { name: 'verbose', kind: 'boolean', help: 'a line for every file, also on a terminal, and notes on the model' },
  // For the benchmark: machine-readable run statistics.
  { name: 'stats-json', kind: 'string', value: 'FILE', hidden: true, help: 'write run statistics as JSON' },
];

const NOTES = `The final report goes to stdout, progress to stderr: "dwibahasa translate … > report.txt" keeps the report.
Ctrl-C stops after the files in flight (twice: at once); a rerun of the same command resumes.
Flags in the report and outputs: repetition, too-short, too-long, untranslated, lost-span (see README "Flags").
Exit codes: 0 every file translated, 1 some files failed, 2 usage, config or model error, 130 stopped by Ctrl-C.`;

export const translateCommand: Command = {
  name: 'translate',
  summary: 'translate files and folders into side-by-side bilingual files',
  usage: '<file-or-folder>... --out DIR [options]',
  options: OPTIONS,
  notes: NOTES,
  run: runTranslate,
};

function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Flags into config settings; every wrong flag is reported at once, by the flag typed. */
function settingsOf(args: ParsedArgs): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const v of (args.values['set'] as string[] | undefined) ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`translate: --set wants KEY=VALUE (e.g. --set queue.batch_size=8), got "${terminalSafe(v)}"`);
    settings[v.slice(0, eq)] = v.slice(eq + 1);
  }
  const problems: string[] = [];
  for (const f of SETTING_FLAGS) {
    const raw = str(args, f.name);
    if (raw === undefined) continue;
    const problem = settingProblem(f.key, raw);
    if (problem !== undefined) problems.push(`--${f.name} ${problem.replace(/^expected /, 'wants ')}`);
    settings[f.key] = raw;
  }
  if (problems.length > 0) throw new UsageError(`translate: ${problems.join('; ')}`);
  if (args.values['no-memory']) settings['memory.enabled'] = 'false';
  return settings;
}

async function runTranslate(args: ParsedArgs): Promise<number> {
  const out = str(args, 'out');
  if (args.positionals.length === 0) throw new UsageError('translate: give at least one file or folder to translate; see dwibahasa translate --help');
  if (out === undefined) throw new UsageError('translate: --out DIR is required (the folder for the bilingual files); see dwibahasa translate --help');
  if (args.values['quiet'] && args.values['verbose']) throw new UsageError('translate: --quiet and --verbose cannot go together');
  const settings = settingsOf(args);
  const common = {
    inputs: args.positionals,
    out,
    settings,
    ...(str(args, 'config') !== undefined ? { configFile: str(args, 'config')! } : {}),
    ...(str(args, 'model') !== undefined ? { model: str(args, 'model')! } : {}),
    force: Boolean(args.values['force']),
  };
  // Loaded here, not at the top: --help and usage errors need no model runtime (a second of start-up).
  const { planTranslation, translate } = await import('../index.js');
  if (args.values['dry-run']) {
    process.stdout.write(safeLines(formatDryRun(await planTranslation(common))) + '\n');
    return 0;
  }
  const queue = str(args, 'queue');
  const localWorkers = localWorkersFlag(str(args, 'local-workers'));
  const verbosity: Verbosity = args.values['quiet'] ? 'quiet' : args.values['verbose'] ? 'verbose' : 'normal';
  const isTTY = Boolean(process.stderr.isTTY);
  const reporter = new RunReporter({ stream: process.stderr, isTTY, verbosity });

  // Ctrl-C: the first stops starting files and lets those in flight finish; the second stops at once.
  const stop = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      reporter.interrupt('Stopping: finishing the files in flight (Ctrl-C again stops at once)…');
      stop.abort();
      return;
    }
    reporter.interrupt('Stopped at once. Every sentence translated so far is kept in the translation memory; run the same command again to resume.');
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await translate({
      ...common,
      ...(queue !== undefined ? { queue } : {}),
      ...(localWorkers !== undefined ? { localWorkers } : {}),
      resetMemory: Boolean(args.values['reset-memory']),
      signal: stop.signal,
      ...(verbosity !== 'quiet' ? { modelProgress: createProgress({ stream: process.stderr, isTTY }) } : {}),
      onEvent: (e) => {
        if (e.type === 'file-done' || e.type === 'file-failed') reporter.onFileDone(e.outcome);
        else if (e.type === 'progress') reporter.onProgress(e);
        else if (e.type === 'cluster') reporter.cluster(ClusterTally.statusText(e));
        else if (e.type === 'log') reporter.log(e.message);
        else if (e.type === 'warning') reporter.warn(e.message);
        else if (e.type === 'note') reporter.log(`note: ${e.message}`);
      },
    }).catch((err: unknown) => {
      // A queue that failed must not leave its connections holding the process.
      if (queue !== undefined || err instanceof QueueError) exitWhenIdle();
      throw err;
    });
    reporter.finish();
    const failed = result.files.filter((f) => f.status === 'failed');
    if (verbosity === 'quiet') {
      // Quiet still says what failed (on stderr, with the other problems), once per file.
      for (const f of failed) process.stderr.write(`FAILED ${terminalSafe(f.input)}: ${terminalSafe(reasonFor(f, f.failures[0] ?? ''))}\n`);
    } else {
      process.stdout.write(formatSummary(result, out) + '\n');
      for (const l of result.cluster ?? []) process.stdout.write(safeLines(l) + '\n');
    }
    if (result.stoppedBy !== undefined) {
      process.stderr.write(`dwibahasa: stopped early: ${safeLines(result.stoppedBy.message)}\n`);
      if (result.cluster) exitWhenIdle();
      return result.stoppedBy.exitCode;
    }
    const statsFile = str(args, 'stats-json');
    if (statsFile !== undefined) await writeFileAtomic(statsFile, JSON.stringify(runStats(result, result.engine), null, 2) + '\n');
    if (result.cluster) exitWhenIdle();
    if (result.aborted) return 130;
    return failed.length > 0 ? 1 : 0;
  } finally {
    reporter.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function formatDryRun(r: DryRunResult): string {
  const lines = ['Dry run: nothing translated, nothing written.'];
  for (const f of r.files) {
    const name = terminalSafe(f.input);
    if (f.status === 'failed') lines.push(`  cannot read  ${name}: ${terminalSafe(f.failure ?? '')}`);
    else if (f.status === 'unchanged') lines.push(`  unchanged    ${name}`);
    else lines.push(`  translate    ${name}: ${plural(f.segments, 'segment')}, ${f.inMemory} already in the memory`);
  }
  const counts = { translate: 0, unchanged: 0, failed: 0 };
  for (const f of r.files) counts[f.status]++;
  const toModel = r.distinct - r.inMemory;
  lines.push(
    `Files: ${counts.translate} to translate, ${counts.unchanged} unchanged, ${counts.failed} that cannot be read (${r.files.length} in all)`,
    `Segments: ${plural(r.segments, 'segment')}, ${r.distinct} distinct; ${r.inMemory} of those already in the translation memory` +
      `${r.memoryPath ? ` (${terminalSafe(r.memoryPath)})` : ' (memory off)'}; the model would translate ${plural(toModel, 'segment')}.`,
    `Model: ${terminalSafe(r.model.id)} (${r.model.dtype}, ${r.model.hash})`,
  );
  return lines.join('\n');
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
