/**
 * Runs the quality guards over a file's sentences. Their recovery work (decoding again with other
 * options, translating clauses) goes through queues of its own, so retries of many sentences
 * share batches and are kept in the translation memory like any other translation.
 */
import type { SentenceGuard } from '../guards/guard.js';
import { assembleSentence, unitText, type SentenceTarget } from '../reassemble/reassemble.js';
import { protectText } from '../segment/segment-block.js';
import type { EngineOutput, TranslateOptions, TranslationEngine } from '../translate/engine.js';
import { SegmentQueue, SegmentTranslationError, type SegmentQueueOptions, type TranslationStore } from '../translate/queue.js';
import type { DocumentFormat, PlanPart, SegmentFlag } from '../types.js';
import { finishUnit, prepareParts } from '../reassemble/unit-format.js';

export interface GuardRunnerOptions {
  readonly engine: TranslationEngine;
  readonly guard: SentenceGuard;
  readonly queueOptions: SegmentQueueOptions;
  /** The memory for translations with default options (clauses are ordinary segments). */
  readonly store?: TranslationStore;
  /** The memory for translations with other decoding options, one store per option set. */
  readonly retryStore?: (options: TranslateOptions) => TranslationStore;
  /** The input format: what is protected in clauses, and how the English is escaped. */
  readonly format: DocumentFormat;
  readonly keep: readonly string[];
  readonly glossary: Readonly<Record<string, string>>;
}

export interface GuardedSentence {
  readonly text: string;
  readonly parts: readonly PlanPart[];
  readonly first: SentenceTarget;
}

/** The same engine, always called with the given decoding options. */
function withOptions(engine: TranslationEngine, options: TranslateOptions): TranslationEngine {
  return {
    info: engine.info,
    maxInputTokens: engine.maxInputTokens,
    countTokens: (t) => engine.countTokens(t),
    translate: (segments): Promise<EngineOutput[]> => engine.translate(segments, options),
    dispose: async () => {},
    ...(engine.workers !== undefined ? { workers: engine.workers } : {}),
  };
}

export class GuardRunner {
  private readonly clauseQueue: SegmentQueue;
  private readonly retryQueues = new Map<string, SegmentQueue>();

  constructor(private readonly opts: GuardRunnerOptions) {
    this.clauseQueue = new SegmentQueue(opts.engine, opts.store, { ...opts.queueOptions, eager: true });
  }

  /** Check every sentence of a file at once, so their retries can share model calls. */
  async check(sentences: readonly GuardedSentence[]): Promise<SentenceTarget[]> {
    return Promise.all(
      sentences.map(async (s): Promise<SentenceTarget> => {
        if (s.first.error !== undefined) return s.first;
        const checked = await this.opts.guard({
          source: s.text,
          target: s.first.target,
          retranslate: (options) => this.retranslate(s.parts, options),
          translateClauses: (clauses) => this.translateClauses(clauses),
        });
        // A flag from assembling the sentence (markup put back) stays when the guards keep its text.
        const kept = checked.target === s.first.target ? (s.first.flags ?? []) : [];
        return { target: checked.target, flags: [...new Set([...kept, ...(checked.flags as SegmentFlag[])])] };
      }),
    );
  }

  /** The recovery queues' counters, to add to the run's. */
  queues(): SegmentQueue[] {
    return [this.clauseQueue, ...this.retryQueues.values()];
  }

  async drained(): Promise<void> {
    await Promise.all([this.clauseQueue.drained(), ...[...this.retryQueues.values()].map((q) => q.drained())]);
  }

  private queueFor(options: TranslateOptions): SegmentQueue {
    const key = JSON.stringify(options);
    let q = this.retryQueues.get(key);
    if (!q) {
      q = new SegmentQueue(withOptions(this.opts.engine, options), this.opts.retryStore?.(options), { ...this.opts.queueOptions, eager: true });
      this.retryQueues.set(key, q);
    }
    return q;
  }

  /** The sentence again with other decoding options; frozen spans and glossary terms stay. */
  private async retranslate(parts: readonly PlanPart[], options: TranslateOptions): Promise<string> {
    return assembleAll(this.queueFor(options), [parts], this.opts.format).then((t) => t[0]!);
  }

  /** Clauses of a flagged sentence, protected like any sentence. */
  private async translateClauses(clauses: readonly string[]): Promise<string[]> {
    const { format, keep, glossary } = this.opts;
    const parted = clauses.map((c) => prepareParts(format, protectText(c, { markdown: format === 'markdown', html: format === 'html', keep, glossary })));
    return assembleAll(this.clauseQueue, parted, format);
  }
}

/** Translate the units of several part lists through `queue` and assemble each; a failed unit throws. */
async function assembleAll(queue: SegmentQueue, parted: ReadonlyArray<readonly PlanPart[]>, format: DocumentFormat): Promise<string[]> {
  const units = [...new Set(parted.flatMap((parts) => parts.filter((p) => !p.frozen && unitText(p) !== '').map(unitText)))];
  const results = await queue.translateAll(units);
  const byUnit = new Map<string, string>();
  units.forEach((u, i) => {
    const r = results[i]!;
    if (r instanceof SegmentTranslationError) throw r;
    byUnit.set(u, r);
  });
  const finish = finishUnit(format);
  return parted.map((parts) => assembleSentence(parts, (u) => ({ target: byUnit.get(u) ?? '' }), finish).target);
}
