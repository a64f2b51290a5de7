/**
 * The pipeline, end to end: discover → decode → parse → segment → translate → reassemble → write.
 * Files stream through: at most `files_in_flight` are held at once, every segment of every file
 * goes through the one SegmentQueue, and a file is written as soon as its last segment is back.
 */
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { lstatSync } from 'node:fs';
import { discover, isDiscoverNote, isDiscoverProblem, type SkipReason } from '../discover/walk.js';
import { checkOutFolder } from './out-folder.js';
import { describeError, storageErrorOf, type StorageError } from '../errors.js';
import { assembleSentence, reassembleBlock, type SentenceTarget, type UnitResult } from '../reassemble/reassemble.js';
import type { TranslateOptions, TranslationEngine } from '../translate/engine.js';
import { GuardRunner } from './guarding.js';
import type { SentenceGuard } from '../guards/guard.js';
import { SegmentQueue, SegmentTranslationError, type TranslationStore } from '../translate/queue.js';
import { finishUnit, humanEnglish } from '../reassemble/unit-format.js';
import type { Block, FileStatus, OutputFormat, ParsedDocument, SegmentFlag, SourceFile, TranslatedBlock, TranslatedDocument, DocumentFormat } from '../types.js';
import { writeOutputs } from '../write/formats.js';
import { outputBaseFor, OutputNames } from './outputs.js';
import { readSource, segmentDocument } from './read-source.js';

export interface FileOutcome {
  readonly input: string;
  readonly relOut: string;
  readonly status: FileStatus;
  readonly outputs: readonly string[];
  /** Why the file failed, or which of its segments did. */
  readonly failures: readonly string[];
  readonly segments: number;
  /** Source words sent for translation (whitespace-separated), for throughput figures. */
  readonly words: number;
  readonly inputSha256?: string;
  readonly ms: number;
  readonly flags: Partial<Record<SegmentFlag, number>>;
}

/** A FileOutcome with the fields a failed or skipped file leaves empty filled in. */
function outcome(
  fields: Pick<FileOutcome, 'input' | 'relOut' | 'status'> & Partial<Omit<FileOutcome, 'input' | 'relOut' | 'status'>>,
): FileOutcome {
  return { outputs: [], failures: [], segments: 0, words: 0, ms: 0, flags: {}, ...fields };
}

export interface RunEvents {
  /** A file was found and will be processed. */
  onFileQueued?(input: string): void;
  /** Segments of a file (`input`) were sent to the queue. */
  onSegmentsQueued?(count: number, input: string): void;
  /** That many more segments are translated (or failed), as batches come back. */
  onSegmentsDone?(count: number): void;
  /** Discovery (a separate walk, run alongside) found this many files in all. */
  onDiscovered?(files: number): void;
  onFileDone?(outcome: FileOutcome): void;
  /** Something the user should know that is not a failure ("x is a symbolic link to y"). */
  onNote?(path: string, note: string): void;
}

/**
 * Which existing files in the output folder this tool wrote (the run manifest knows). Any other
 * file where an output would go is never overwritten: that input fails, naming the file.
 */
export interface OutputOwnership {
  isOurs(absPath: string): boolean;
  /**
   * Say, durably, that these paths are about to be written by this tool: a run killed after the
   * write but before its manifest was saved must still know them as its own on the rerun.
   */
  claim(absPaths: readonly string[]): Promise<void>;
}

/** Decides whether a file can be skipped because its outputs are current (the run manifest does this). */
export interface IncrementalCheck {
  isUpToDate(relOut: string, inputSha256: string, outputs: readonly string[]): boolean;
}


export interface RunOptions {
  readonly inputs: readonly string[];
  readonly outDir: string;
  readonly config: Config;
  readonly engine: TranslationEngine;
  readonly store?: TranslationStore;
  readonly formats: readonly OutputFormat[];
  readonly events?: RunEvents;
  readonly incremental?: IncrementalCheck;
  /** Without it, existing files at output paths are replaced (library use without a manifest). */
  readonly ownership?: OutputOwnership;
  readonly guard?: SentenceGuard;
  /**
   * Where guard retries (other decoding options) are kept between runs, keyed by those options,
   * so a rerun never asks the model again for a retry it already made.
   */
  readonly retryStore?: (options: TranslateOptions) => TranslationStore;
  /** When aborted, no further file is started; the files in flight are finished and written. */
  readonly signal?: AbortSignal;
  /**
   * Translations a person made (dwibahasa serve), by source sentence. They come first: a sentence
   * found here is never sent to the model or the guards, whatever they would say.
   */
  readonly human?: HumanStore;
}

export interface HumanStore {
  getHuman(sources: readonly string[]): Map<string, { readonly target: string; readonly updatedAt: number }>;
}

/** Files found in the folders and left out, by reason, then by extension ("*.docx" → 9). */
export type SkippedFiles = Readonly<Record<SkipReason, Readonly<Record<string, number>>>>;

export interface RunSummary {
  readonly files: FileOutcome[];
  /** Absent in summaries built by hand (tests, other runners). */
  readonly skipped?: SkippedFiles;
  /** All model work: the segments' first translations and the quality guards' retries together. */
  readonly queue: SegmentQueue['stats'];
  /** The segments' first pass alone: each segment sent is translated, found in the memory, a repeat, or failed. */
  readonly segments: SegmentQueue['stats'];
  /** The quality guards' retries alone (other decoding settings, clause by clause). */
  readonly retries: SegmentQueue['stats'];
  readonly elapsedMs: number;
  /** Set when the run stopped early because the translation memory became unusable (corrupt). */
  readonly stoppedBy?: StorageError;
}

export async function runPipeline(opts: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  checkOutFolder(opts.inputs, opts.outDir);
  const { config, engine } = opts;
  const queueOptions = {
    batchSize: config.queue.batch_size,
    batchTokens: config.queue.batch_tokens,
    concurrency: Math.max(1, engine.workers ?? 1),
    retries: config.queue.retries,
  };
  const queue = new SegmentQueue(engine, opts.store, queueOptions);
  // Each input format protects different spans in clauses, so each has its own runner.
  const runners = new Map<DocumentFormat, GuardRunner>();
  const guardsFor = (format: DocumentFormat): GuardRunner | undefined => {
    if (!opts.guard) return undefined;
    let r = runners.get(format);
    if (!r) {
      r = new GuardRunner({
        engine, guard: opts.guard, queueOptions, format, keep: config.segment.keep, glossary: config.glossary,
        ...(opts.store ? { store: opts.store } : {}),
        ...(opts.retryStore ? { retryStore: opts.retryStore } : {}),
      });
      runners.set(format, r);
    }
    return r;
  };
  const outcomes: FileOutcome[] = [];
  const names = new OutputNames();
  const inFlight = new Set<Promise<void>>();
  const record = (o: FileOutcome): void => {
    outcomes.push(o);
    opts.events?.onFileDone?.(o);
  };

  const skipped: Record<SkipReason, Record<string, number>> = { 'not-included': {}, excluded: {} };
  const onSkipped = (rel: string, why: SkipReason): void => {
    const ext = path.posix.extname(rel).toLowerCase();
    const key = ext === '' ? 'no extension' : `*${ext}`;
    skipped[why][key] = (skipped[why][key] ?? 0) + 1;
  };
  const discoverOptions = { include: config.input.include, exclude: config.input.exclude, skip: [opts.outDir] };
  if (opts.events?.onDiscovered) void countFiles(opts.inputs, discoverOptions, opts.signal).then((n) => n !== undefined && opts.events?.onDiscovered?.(n));
  const found = discover(opts.inputs, { ...discoverOptions, onSkipped });
  let stoppedBy: StorageError | undefined;
  for await (const item of found) {
    // A corrupt memory: every further file would fail the same way, so none is started.
    if (opts.signal?.aborted || stoppedBy !== undefined) break;
    if (isDiscoverNote(item)) {
      opts.events?.onNote?.(item.path, item.note);
      continue;
    }
    if (isDiscoverProblem(item)) {
      record(outcome({ input: item.path, relOut: '', status: 'failed', failures: [item.reason] }));
      continue;
    }
    while (inFlight.size >= config.queue.files_in_flight) {
      // Every file in flight is waiting for the model: send what is pending, however few.
      queue.flush();
      await Promise.race(inFlight);
    }
    if (opts.signal?.aborted || stoppedBy !== undefined) break;
    queue.resume();
    opts.events?.onFileQueued?.(item.absPath);
    const base = names.claim(outputBaseFor(item, opts.outDir), item);
    const task = processFile(item, base, opts, queue, guardsFor).then(record, (err: unknown) => {
      const storage = storageErrorOf(err);
      if (storage?.unusable) stoppedBy ??= storage;
      record(outcome({ input: item.absPath, relOut: path.relative(opts.outDir, base), status: 'failed', failures: [describeError(err)] }));
    });
    const tracked: Promise<void> = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  queue.flush();
  await Promise.all(inFlight);
  await queue.drained();
  await Promise.all([...runners.values()].map((r) => r.drained()));
  const stats = { ...queue.stats };
  const retries = { segmentsTranslated: 0, segmentsFromMemory: 0, segmentsDeduplicated: 0, generatedTokens: 0, modelCalls: 0, failedSegments: 0 };
  for (const q of [...runners.values()].flatMap((r) => r.queues())) {
    for (const k of Object.keys(stats) as Array<keyof typeof stats>) {
      stats[k] += q.stats[k];
      retries[k] += q.stats[k];
    }
  }
  return {
    files: outcomes,
    skipped,
    queue: stats,
    segments: { ...queue.stats },
    retries,
    elapsedMs: performance.now() - started,
    ...(stoppedBy !== undefined ? { stoppedBy } : {}),
  };
}

/**
 * How many files (and problems, which count as failed files) `inputs` hold: a walk of its own
 * beside the pipeline's, because the pipeline's walk is held back by files_in_flight and a
 * progress total that grows as files are found misleads. Undefined when it could not finish.
 */
async function countFiles(inputs: readonly string[], options: Parameters<typeof discover>[1], signal?: AbortSignal): Promise<number | undefined> {
  let n = 0;
  try {
    for await (const item of discover(inputs, options)) {
      if (signal?.aborted) return undefined;
      if (!isDiscoverNote(item)) n++;
    }
  } catch {
    return undefined;
  }
  return n;
}


async function processFile(file: SourceFile, outBase: string, opts: RunOptions, queue: SegmentQueue, guardsFor: (format: DocumentFormat) => GuardRunner | undefined): Promise<FileOutcome> {
  const started = performance.now();
  const relOut = path.relative(opts.outDir, outBase);
  const failed = (reason: string, sha?: string): FileOutcome =>
    outcome({ input: file.absPath, relOut, status: 'failed', failures: [reason], ms: performance.now() - started, ...(sha ? { inputSha256: sha } : {}) });
  const source = await readSource(file, outBase, { formats: opts.formats, maxFileMb: opts.config.input.max_file_mb, html: opts.config.input.html });
  if ('failure' in source) return failed(source.failure, source.sha256);
  const { sha256, doc, expected } = source;
  if (opts.incremental?.isUpToDate(relOut, sha256, expected)) {
    return outcome({ input: file.absPath, relOut, status: 'skipped', outputs: expected, inputSha256: sha256, ms: performance.now() - started });
  }
  const foreign = opts.ownership ? expected.find((p) => exists(p) && !opts.ownership!.isOurs(p)) : undefined;
  if (foreign !== undefined) {
    return failed(
      `${foreign} already exists and dwibahasa did not write it (the run manifest has no record of it); ` +
        'it is left as it is: move it away, or choose another --out',
      sha256,
    );
  }

  const guards = guardsFor(doc.format);
  const finish = finishUnit(doc.format);
  const { plans, human, units, words } = segmentDocument(doc, opts.config, opts.engine, opts.human);
  opts.events?.onSegmentsQueued?.(units.length, file.absPath);
  const results = await queue.translateAll(units, (n) => opts.events?.onSegmentsDone?.(n));
  // A memory that cannot be read or written fails the file whole (and, when corrupt, the run).
  const unusable = results.map(storageErrorOf).find((e) => e?.unusable);
  if (unusable !== undefined) throw unusable;
  const byUnit = new Map<string, UnitResult>();
  units.forEach((u, i) => {
    const r = results[i]!;
    byUnit.set(u, r instanceof SegmentTranslationError ? { error: r.reason } : { target: r });
  });
  const lookup = (unit: string): UnitResult => byUnit.get(unit) ?? { error: 'internal: unit not translated' };

  const failures: string[] = [];
  const flagCounts: Partial<Record<SegmentFlag, number>> = {};
  const sentences = plans.flatMap((plan, i) =>
    (plan?.sentences ?? []).map((s) => {
      const h = human.get(s.text);
      if (h !== undefined) return { text: s.text, parts: s.parts, first: { target: humanEnglish(doc.format, h.target, s.text), reviewed: new Date(h.updatedAt).toISOString() }, human: true };
      const first = assembleSentence(s.parts, lookup, finish);
      if (first.error !== undefined) failures.push(`block ${i + 1}: "${clip(s.text)}": ${first.error}`);
      return { text: s.text, parts: s.parts, first, human: false };
    }),
  );
  const machine = sentences.filter((s) => !s.human);
  const checked = guards ? await guards.check(machine) : machine.map((s) => s.first);
  let m = 0;
  const targets: SentenceTarget[] = sentences.map((s) => (s.human ? s.first : checked[m++]!));
  for (const t of targets) for (const f of t.flags ?? []) flagCounts[f] = (flagCounts[f] ?? 0) + 1;
  let next = 0;
  const blocks: TranslatedBlock[] = doc.blocks.map((block, i) => {
    const plan = plans[i]!;
    const own = targets.slice(next, (next += plan?.sentences.length ?? 0));
    return reassembleBlock(block, plan, own);
  });
  const translated: TranslatedDocument = {
    source: { path: file.absPath, relPath: file.relPath, sha256 },
    format: doc.format,
    ...(doc.charset !== undefined ? { charset: doc.charset } : {}),
    model: opts.engine.info,
    blocks,
  };
  let outputs: string[];
  try {
    await opts.ownership?.claim(expected);
    outputs = await writeOutputs(translated, outBase, opts.formats);
  } catch (err) {
    return { ...failed(describeError(err), sha256), segments: units.length, words };
  }
  return outcome({
    input: file.absPath,
    relOut,
    status: failures.length > 0 ? 'failed' : 'done',
    outputs,
    failures,
    segments: units.length,
    words,
    inputSha256: sha256,
    ms: performance.now() - started,
    flags: flagCounts,
  });
}

/** Anything at the path, a dangling link included: a rename would replace it. */
function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Whitespace-separated words: the unit of every words/s figure (one rule, in read-source.ts). */
export { countWords } from './read-source.js';

function clip(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}
