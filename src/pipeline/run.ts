/**
 * The pipeline, end to end: discover → decode → parse → segment → translate → reassemble → write.
 * Files stream through: at most `files_in_flight` are held at once, every segment of every file
 * goes through the one SegmentQueue, and a file is written as soon as its last segment is back.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { decodeFile } from '../read/read-text.js';
import { discover, isDiscoverProblem } from '../discover/walk.js';
import { describeError } from '../errors.js';
import { parseDocument } from '../parse/formats.js';
import { assembleSentence, reassembleBlock, unitsOf, type BlockPlan, type UnitResult } from '../reassemble/reassemble.js';
import { segmentBlock } from '../segment/segment-block.js';
import type { TranslateOptions, TranslationEngine } from '../translate/engine.js';
import { GuardRunner } from './guarding.js';
import type { SentenceGuard } from '../guards/guard.js';
import { SegmentQueue, SegmentTranslationError, type TranslationStore } from '../translate/queue.js';
import type { FileStatus, OutputFormat, SegmentFlag, SourceFile, TranslatedBlock, TranslatedDocument } from '../types.js';
import { outputPaths, writeOutputs } from '../write/formats.js';
import { outputBaseFor, OutputNames } from './outputs.js';

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
  readonly guard?: SentenceGuard;
  /**
   * Where guard retries (other decoding options) are kept between runs, keyed by those options,
   * so a rerun never asks the model again for a retry it already made.
   */
  readonly retryStore?: (options: TranslateOptions) => TranslationStore;
  /** When aborted, no further file is started; the files in flight are finished and written. */
  readonly signal?: AbortSignal;
}

export interface RunSummary {
  readonly files: FileOutcome[];
  /** All model work: the segments' first translations and the quality guards' retries together. */
  readonly queue: SegmentQueue['stats'];
  /** The segments' first pass alone: each segment sent is translated, found in the memory, a repeat, or failed. */
  readonly segments: SegmentQueue['stats'];
  /** The quality guards' retries alone (other decoding settings, clause by clause). */
  readonly retries: SegmentQueue['stats'];
  readonly elapsedMs: number;
}

export async function runPipeline(opts: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const { config, engine } = opts;
  const queueOptions = {
    batchSize: config.queue.batch_size,
    batchTokens: config.queue.batch_tokens,
    concurrency: Math.max(1, engine.workers ?? 1),
    retries: config.queue.retries,
  };
  const queue = new SegmentQueue(engine, opts.store, queueOptions);
  // Markdown and plain text protect different spans in clauses, so each has its own runner.
  const runners = new Map<boolean, GuardRunner>();
  const guardsFor = (markdown: boolean): GuardRunner | undefined => {
    if (!opts.guard) return undefined;
    let r = runners.get(markdown);
    if (!r) {
      r = new GuardRunner({
        engine, guard: opts.guard, queueOptions, markdown, keep: config.segment.keep, glossary: config.glossary,
        ...(opts.store ? { store: opts.store } : {}),
        ...(opts.retryStore ? { retryStore: opts.retryStore } : {}),
      });
      runners.set(markdown, r);
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

  const discoverOptions = { include: config.input.include, exclude: config.input.exclude };
  if (opts.events?.onDiscovered) void countFiles(opts.inputs, discoverOptions, opts.signal).then((n) => n !== undefined && opts.events?.onDiscovered?.(n));
  for await (const item of discover(opts.inputs, discoverOptions)) {
    if (opts.signal?.aborted) break;
    if (isDiscoverProblem(item)) {
      record(outcome({ input: item.path, relOut: '', status: 'failed', failures: [item.reason] }));
      continue;
    }
    while (inFlight.size >= config.queue.files_in_flight) {
      // Every file in flight is waiting for the model: send what is pending, however few.
      queue.flush();
      await Promise.race(inFlight);
    }
    if (opts.signal?.aborted) break;
    queue.resume();
    opts.events?.onFileQueued?.(item.absPath);
    const base = names.claim(outputBaseFor(item, opts.outDir), item);
    const task = processFile(item, base, opts, queue, guardsFor).then(record, (err: unknown) =>
      record(outcome({ input: item.absPath, relOut: path.relative(opts.outDir, base), status: 'failed', failures: [describeError(err)] })),
    );
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
  return { files: outcomes, queue: stats, segments: { ...queue.stats }, retries, elapsedMs: performance.now() - started };
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
      void item;
      n++;
    }
  } catch {
    return undefined;
  }
  return n;
}

/** A file read and parsed, with the outputs it gets. */
export interface SourcePlan {
  readonly sha256: string;
  readonly doc: ReturnType<typeof parseDocument>;
  readonly expected: readonly string[];
}

/** What would be sent to the model for a document. */
export interface SegmentPlan {
  readonly plans: ReadonlyArray<BlockPlan | null>;
  /** Segments to translate, in order (repeats included). */
  readonly units: readonly string[];
  readonly words: number;
}

/** Read, decode and parse one file (the run and `--dry-run` share this), or say why not. */
export async function readSource(file: SourceFile, outBase: string, formats: readonly OutputFormat[]): Promise<SourcePlan | { readonly failure: string; readonly sha256?: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.absPath);
  } catch (err) {
    return { failure: `cannot read the file: ${describeError(err)}` };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  try {
    text = decodeFile(bytes, file.absPath);
  } catch (err) {
    return { failure: describeError(err), sha256 };
  }
  const doc = parseDocument(text, file.absPath);
  return { sha256, doc, expected: Object.values(outputPaths(outBase, doc.format, formats)) };
}

/** A parsed document into the segments the model gets (the run and `--dry-run` share this). */
export function segmentDocument(doc: SourcePlan['doc'], config: Config, engine: Pick<TranslationEngine, 'countTokens' | 'maxInputTokens'>): SegmentPlan {
  const markdown = doc.format === 'markdown';
  const maxTokens = Math.min(config.segment.max_tokens, engine.maxInputTokens);
  const keep = config.segment.keep;
  const glossary = config.glossary;
  const plans: Array<BlockPlan | null> = doc.blocks.map((b) =>
    !b.translate || b.source.trim() === '' ? null : segmentBlock(b.source, { maxTokens, countTokens: (s) => engine.countTokens(s), markdown, keep, glossary }),
  );
  const units = plans.flatMap((p) => (p ? unitsOf(p) : []));
  return { plans, units, words: units.reduce((n, u) => n + countWords(u), 0) };
}

async function processFile(file: SourceFile, outBase: string, opts: RunOptions, queue: SegmentQueue, guardsFor: (markdown: boolean) => GuardRunner | undefined): Promise<FileOutcome> {
  const started = performance.now();
  const relOut = path.relative(opts.outDir, outBase);
  const failed = (reason: string, sha?: string): FileOutcome =>
    outcome({ input: file.absPath, relOut, status: 'failed', failures: [reason], ms: performance.now() - started, ...(sha ? { inputSha256: sha } : {}) });
  const source = await readSource(file, outBase, opts.formats);
  if ('failure' in source) return failed(source.failure, source.sha256);
  const { sha256, doc, expected } = source;
  if (opts.incremental?.isUpToDate(relOut, sha256, expected)) {
    return outcome({ input: file.absPath, relOut, status: 'skipped', outputs: expected, inputSha256: sha256, ms: performance.now() - started });
  }
  const { plans, units, words } = segmentDocument(doc, opts.config, opts.engine);
  const guards = guardsFor(doc.format === 'markdown');
  opts.events?.onSegmentsQueued?.(units.length, file.absPath);
  const results = await queue.translateAll(units, (n) => opts.events?.onSegmentsDone?.(n));
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
      const first = assembleSentence(s.parts, lookup);
      if (first.error !== undefined) failures.push(`block ${i + 1}: "${clip(s.text)}": ${first.error}`);
      return { text: s.text, parts: s.parts, first };
    }),
  );
  const targets = guards ? await guards.check(sentences) : sentences.map((s) => s.first);
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
    model: opts.engine.info,
    blocks,
  };
  let outputs: string[];
  try {
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

function countWords(text: string): number {
  let n = 0;
  for (const w of text.split(/\s+/)) if (w !== '') n++;
  return n;
}

function clip(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}
