/**
 * The pipeline, end to end: discover → decode → parse → segment → translate → reassemble → write.
 * Files stream through: at most `files_in_flight` are held at once, every segment of every file
 * goes through the one SegmentQueue, and a file is written as soon as its last segment is back.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { decodeFile } from '../decode/decode.js';
import { discover, isDiscoverProblem } from '../discover/index.js';
import { describeError } from '../errors.js';
import { parseDocument } from '../parse/index.js';
import type { ProtectedPart } from '../segment/protect.js';
import { assembleSentence, reassembleBlock, unitText, unitsOf, type BlockPlan, type SentenceTarget, type UnitResult } from '../reassemble/reassemble.js';
import { segmentBlock } from '../segment/index.js';
import type { TranslateOptions, TranslationEngine } from '../translate/engine.js';
import type { SentenceGuard } from '../guards/index.js';
import { SegmentQueue, SegmentTranslationError, type TranslationStore } from '../translate/queue.js';
import type { OutputFormat, SegmentFlag, SourceFile, TranslatedBlock, TranslatedDocument } from '../types.js';
import { outputPaths, writeOutputs } from '../write/index.js';
import { outputBaseFor, OutputNames } from './outputs.js';

export type FileStatus = 'done' | 'failed' | 'skipped';

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

export interface RunEvents {
  /** A file was found and will be processed. */
  onFileQueued?(input: string): void;
  /** Segments of a file were sent to the queue. */
  onSegmentsQueued?(count: number): void;
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
}

export interface RunSummary {
  readonly files: FileOutcome[];
  readonly queue: SegmentQueue['stats'];
  readonly elapsedMs: number;
}

export async function runPipeline(opts: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const { config, engine } = opts;
  const queue = new SegmentQueue(engine, opts.store, {
    batchSize: config.queue.batch_size,
    batchTokens: config.queue.batch_tokens,
    concurrency: Math.max(1, engineConcurrency(engine)),
    retries: config.queue.retries,
  });
  const outcomes: FileOutcome[] = [];
  const names = new OutputNames(opts.outDir);
  const inFlight = new Set<Promise<void>>();
  const record = (o: FileOutcome): void => {
    outcomes.push(o);
    opts.events?.onFileDone?.(o);
  };

  for await (const item of discover(opts.inputs, { include: config.input.include, exclude: config.input.exclude })) {
    if (isDiscoverProblem(item)) {
      record({ input: item.path, relOut: '', status: 'failed', outputs: [], failures: [item.reason], segments: 0, words: 0, ms: 0, flags: {} });
      continue;
    }
    while (inFlight.size >= config.queue.files_in_flight) {
      // Every file in flight is waiting for the model: send what is pending, however few.
      queue.flush();
      await Promise.race(inFlight);
    }
    queue.resume();
    opts.events?.onFileQueued?.(item.absPath);
    const base = names.claim(outputBaseFor(item, opts.outDir), item);
    const task = processFile(item, base, opts, queue).then(record, (err: unknown) =>
      record({ input: item.absPath, relOut: path.relative(opts.outDir, base), status: 'failed', outputs: [], failures: [describeError(err)], segments: 0, words: 0, ms: 0, flags: {} }),
    );
    const tracked: Promise<void> = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  queue.flush();
  await Promise.all(inFlight);
  await queue.drained();
  return { files: outcomes, queue: queue.stats, elapsedMs: performance.now() - started };
}

function engineConcurrency(engine: TranslationEngine): number {
  const workers = (engine as { workers?: number }).workers;
  return typeof workers === 'number' ? workers : 1;
}

async function processFile(file: SourceFile, outBase: string, opts: RunOptions, queue: SegmentQueue): Promise<FileOutcome> {
  const started = performance.now();
  const relOut = path.relative(opts.outDir, outBase);
  const failed = (reason: string, sha?: string): FileOutcome => ({
    input: file.absPath, relOut, status: 'failed', outputs: [], failures: [reason], segments: 0, words: 0, ms: performance.now() - started, flags: {},
    ...(sha ? { inputSha256: sha } : {}),
  });
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.absPath);
  } catch (err) {
    return failed(`cannot read ${file.absPath}: ${describeError(err)}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  try {
    text = decodeFile(bytes, file.absPath);
  } catch (err) {
    return failed(describeError(err), sha256);
  }
  const doc = parseDocument(text, file.absPath);
  const expected = Object.values(outputPaths(outBase, doc.format, opts.formats));
  if (opts.incremental?.isUpToDate(relOut, sha256, expected)) {
    return { input: file.absPath, relOut, status: 'skipped', outputs: expected, failures: [], segments: 0, words: 0, inputSha256: sha256, ms: performance.now() - started, flags: {} };
  }

  const markdown = doc.format === 'markdown';
  const maxTokens = Math.min(opts.config.segment.max_tokens, opts.engine.maxInputTokens);
  const plans: Array<BlockPlan | null> = doc.blocks.map((b) =>
    b.translate && b.source.trim() !== ''
      ? segmentBlock(b.source, { maxTokens, countTokens: (s) => opts.engine.countTokens(s), markdown, keep: opts.config.segment.keep })
      : null,
  );
  const units = plans.flatMap((p) => (p ? unitsOf(p) : []));
  const words = units.reduce((n, u) => n + countWords(u), 0);
  opts.events?.onSegmentsQueued?.(units.length);
  const results = await queue.translateAll(units);
  const byUnit = new Map<string, UnitResult>();
  units.forEach((u, i) => {
    const r = results[i]!;
    byUnit.set(u, r instanceof SegmentTranslationError ? { error: r.reason } : { target: r });
  });
  const lookup = (unit: string): UnitResult => byUnit.get(unit) ?? { error: 'internal: unit not translated' };

  const failures: string[] = [];
  const flagCounts: Partial<Record<SegmentFlag, number>> = {};
  const blocks: TranslatedBlock[] = [];
  for (let i = 0; i < doc.blocks.length; i++) {
    const block = doc.blocks[i]!;
    const plan = plans[i]!;
    const targets: SentenceTarget[] = [];
    for (const s of plan?.sentences ?? []) {
      let t = assembleSentence(s.parts, lookup);
      if (t.error !== undefined) failures.push(`block ${i + 1}: "${clip(s.text)}": ${t.error}`);
      else if (opts.guard) {
        const checked = await opts.guard({
          source: s.text,
          target: t.target,
          retranslate: (options) => retranslate(s.parts, opts, options),
          translateClauses: (clauses) => translateOrThrow(queue, clauses),
        });
        t = { target: checked.target, flags: checked.flags };
        for (const f of checked.flags) flagCounts[f] = (flagCounts[f] ?? 0) + 1;
      }
      targets.push(t);
    }
    blocks.push(reassembleBlock(block, plan, targets));
  }
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
  return {
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
  };
}

/** Clauses of a flagged sentence go through the queue like any segment (memory, dedup, batching). */
async function translateOrThrow(queue: SegmentQueue, texts: readonly string[]): Promise<string[]> {
  const results = await queue.translateAll(texts);
  return results.map((r) => {
    if (r instanceof SegmentTranslationError) throw r;
    return r;
  });
}

/** A sentence translated again with other decoding options (quality-guard recovery); frozen spans stay. */
async function retranslate(parts: readonly ProtectedPart[], opts: RunOptions, options: TranslateOptions): Promise<string> {
  const units = [...new Set(parts.filter((p) => !p.frozen && unitText(p) !== '').map(unitText))];
  const store = opts.retryStore?.(options);
  const byUnit = new Map(store ? store.getMany(units) : []);
  const missing = units.filter((u) => !byUnit.has(u));
  if (missing.length > 0) {
    const outputs = await opts.engine.translate(missing, options);
    const fresh = missing.map((source, i) => ({ source, target: outputs[i]!.text }));
    store?.putMany(fresh);
    for (const e of fresh) byUnit.set(e.source, e.target);
  }
  return assembleSentence(parts, (u) => ({ target: byUnit.get(u) ?? '' })).target;
}

function countWords(text: string): number {
  let n = 0;
  for (const w of text.split(/\s+/)) if (w !== '') n++;
  return n;
}

function clip(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}
