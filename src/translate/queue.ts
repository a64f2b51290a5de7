/**
 * The one work queue every segment of every file goes through. It translates identical text once,
 * groups pending segments into length-sorted batches, runs them through a p-queue whose concurrency
 * matches the engine's workers, and stores each finished batch in the translation memory before
 * its segments count as done.
 */
import { EventEmitter } from 'node:events';
import PQueue from 'p-queue';
import { describeError, StorageError, storageErrorOf } from '../errors.js';
import { takeBatch, type BatchLimits, type PendingSegment } from './batcher.js';
import type { EngineOutput, TranslationEngine } from './engine.js';

/** Where finished translations are kept between runs (the SQLite memory, or nothing). */
export interface TranslationStore {
  getMany(sources: readonly string[]): Map<string, string>;
  putMany(entries: ReadonlyArray<{ source: string; target: string }>): void;
}

export interface SegmentQueueOptions extends BatchLimits {
  /** Model calls in flight at once (one per engine worker). */
  readonly concurrency: number;
  /** Retries of a failed batch, one segment at a time, before a segment is failed. */
  readonly retries: number;
  /**
   * Segments to collect before the first batch is formed, so that batches can be sorted by length.
   * Pending segments are also flushed whenever `flush()` says no more input is coming soon.
   */
  readonly window?: number;
  /**
   * Never wait for a window: batch whatever arrived in the same turn of the event loop. For
   * recovery work that a file is already waiting on.
   */
  readonly eager?: boolean;
}

export interface QueueStats {
  segmentsTranslated: number;
  segmentsFromMemory: number;
  segmentsDeduplicated: number;
  generatedTokens: number;
  modelCalls: number;
  failedSegments: number;
}

export interface SegmentQueueEvents {
  batch: [{ rows: number; tokens: number; ms: number }];
}

interface Waiter {
  resolve: (target: string) => void;
  reject: (err: Error) => void;
}

const RECENT_LIMIT = 50_000;

export class SegmentTranslationError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`translation failed: ${reason}`, options);
    this.name = 'SegmentTranslationError';
  }
}

/** Whatever a store throws is a storage failure, whether or not the store typed it so. */
function asStorageError(err: unknown, doing: 'reading' | 'writing'): StorageError {
  return storageErrorOf(err) ?? new StorageError(`translation store: ${doing} failed: ${describeError(err)}`, '', false, { cause: err });
}

export class SegmentQueue extends EventEmitter<SegmentQueueEvents> {
  readonly stats: QueueStats = {
    segmentsTranslated: 0,
    segmentsFromMemory: 0,
    segmentsDeduplicated: 0,
    generatedTokens: 0,
    modelCalls: 0,
    failedSegments: 0,
  };
  private readonly pq: PQueue;
  private readonly pool: PendingSegment[] = [];
  private readonly waiting = new Map<string, Waiter[]>();
  /** Finished translations of this run, so repeats are served even without a memory file. Bounded (LRU). */
  private readonly recent = new Map<string, string>();
  private seq = 0;
  private flushing = false;
  private readonly window: number;

  constructor(
    private readonly engine: TranslationEngine,
    private readonly store: TranslationStore | undefined,
    private readonly options: SegmentQueueOptions,
  ) {
    super();
    this.pq = new PQueue({ concurrency: options.concurrency });
    this.window = options.window ?? options.batchSize * options.concurrency * 4;
    this.flushing = options.eager ?? false;
  }

  /**
   * Translate many segments (typically one file's). Texts already in the memory resolve at once;
   * texts already pending share the pending translation. Results are in input order; a segment
   * that failed after its retries is a SegmentTranslationError in its place. `onSettled` hears how
   * many of `texts` have settled since it was last called (once per batch, not per segment), for progress.
   */
  async translateAll(texts: readonly string[], onSettled?: (count: number) => void): Promise<Array<string | SegmentTranslationError>> {
    let settled = 0;
    const tick = (): void => {
      // A batch settles all its segments in one turn: report them together.
      if (settled++ === 0) queueMicrotask(() => {
        const n = settled;
        settled = 0;
        onSettled?.(n);
      });
    };
    const unique = [...new Set(texts)];
    // Translated earlier in this run: a repeat, not a memory hit, so that the summary's counts
    // (segments = model + memory + repeats + failed) mean what they say.
    const repeated = new Map<string, string>();
    for (const t of unique) {
      const r = this.recent.get(t);
      if (r !== undefined) repeated.set(t, r);
    }
    const stored = new Map<string, string>();
    if (this.store) {
      const lookup = unique.filter((t) => !this.waiting.has(t) && !repeated.has(t));
      let found: Map<string, string>;
      try {
        found = this.store.getMany(lookup);
      } catch (err) {
        throw asStorageError(err, 'reading');
      }
      for (const [k, v] of found) stored.set(k, v);
    }
    const results = new Map<string, Promise<string>>();
    for (const text of unique) {
      const again = repeated.get(text);
      const kept = stored.get(text);
      if (again !== undefined) {
        this.stats.segmentsDeduplicated++;
        results.set(text, Promise.resolve(again));
      } else if (kept !== undefined) {
        this.stats.segmentsFromMemory++;
        results.set(text, Promise.resolve(kept));
      } else {
        results.set(text, this.enqueue(text));
      }
    }
    this.stats.segmentsDeduplicated += texts.length - unique.length;
    if (this.options.eager) this.schedulePump();
    else this.pump();
    return Promise.all(
      texts.map((t) =>
        results.get(t)!.then(
          (target) => {
            tick();
            return target;
          },
          (err: unknown) => {
            tick();
            return err instanceof SegmentTranslationError ? err : new SegmentTranslationError(t, describeError(err), { cause: err });
          },
        ),
      ),
    );
  }

  /** No more input is coming for now: send everything pending, however small the batches. */
  flush(): void {
    this.flushing = true;
    this.pump();
  }

  /** More input is coming: wait for a full window before forming batches again. */
  resume(): void {
    this.flushing = this.options.eager ?? false;
  }

  private pumpScheduled = false;

  /** Pump once the current turn's requests are all in, so they share batches. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Resolves when nothing is pending or running. */
  async drained(): Promise<void> {
    this.flush();
    while (this.pool.length > 0 || this.pq.size > 0 || this.pq.pending > 0) {
      await this.pq.onIdle();
      this.pump();
    }
  }

  private remember(source: string, target: string): void {
    this.recent.delete(source);
    this.recent.set(source, target);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
  }

  private enqueue(text: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const list = this.waiting.get(text);
      if (list) {
        this.stats.segmentsDeduplicated++;
        list.push({ resolve, reject });
        return;
      }
      this.waiting.set(text, [{ resolve, reject }]);
      this.pool.push({ text, tokens: this.engine.countTokens(text), seq: this.seq++ });
    });
  }

  /** Form batches while the engine has room: one running and one waiting per worker. */
  private pump(): void {
    while (this.pool.length > 0 && this.pq.size < this.options.concurrency) {
      if (!this.flushing && this.pool.length < this.window) return;
      const batch = takeBatch(this.pool, this.flushing ? this.shareLimits() : this.options);
      void this.pq.add(() => this.run(batch));
    }
  }

  /**
   * With no more input coming, what is left is shared out among the workers rather than sent as
   * one full batch and a remainder: 18 segments for 2 workers go as 9 and 9, not 16 and 2 (the
   * single article of a small run finished in about half the time). Translations do not depend
   * on how segments are batched.
   */
  private shareLimits(): BatchLimits {
    // Among the workers still idle (each batch formed here starts at once), or all of them.
    const idle = this.options.concurrency - this.pq.pending;
    const share = Math.ceil(this.pool.length / (idle > 0 ? idle : this.options.concurrency));
    return { batchSize: Math.max(1, Math.min(this.options.batchSize, share)), batchTokens: this.options.batchTokens };
  }

  private async run(batch: PendingSegment[]): Promise<void> {
    const started = performance.now();
    let outputs: Array<EngineOutput | Error>;
    try {
      this.stats.modelCalls++;
      outputs = await this.engine.translate(batch.map((s) => s.text));
    } catch (err) {
      outputs = await this.retryOneByOne(batch, err);
    }
    const finished: Array<{ source: string; target: string }> = [];
    batch.forEach((seg, i) => {
      const out = outputs[i]!;
      if (!(out instanceof Error)) {
        finished.push({ source: seg.text, target: out.text });
        this.stats.generatedTokens += out.generatedTokens;
      }
    });
    // Committed before the segments count as done: a crash after this point loses no work.
    try {
      this.store?.putMany(finished);
    } catch (err) {
      const failure = asStorageError(err, 'writing');
      outputs = batch.map(() => new Error(`could not store translations: ${failure.message}`, { cause: failure }));
    }
    batch.forEach((seg, i) => {
      const out = outputs[i]!;
      const waiters = this.waiting.get(seg.text) ?? [];
      this.waiting.delete(seg.text);
      for (const w of waiters) {
        if (out instanceof Error) w.reject(new SegmentTranslationError(seg.text, out.message, { cause: out }));
        else w.resolve(out.text);
      }
      if (out instanceof Error) this.stats.failedSegments++;
      else {
        this.stats.segmentsTranslated++;
        this.remember(seg.text, out.text);
      }
    });
    this.emit('batch', { rows: batch.length, tokens: batch.reduce((n, s) => n + s.tokens, 0), ms: performance.now() - started });
    this.pump();
  }

  private async retryOneByOne(batch: PendingSegment[], first: unknown): Promise<Array<EngineOutput | Error>> {
    const results: Array<EngineOutput | Error> = [];
    for (const seg of batch) {
      let last: unknown = first;
      let done: EngineOutput | undefined;
      for (let attempt = 0; attempt < this.options.retries && done === undefined; attempt++) {
        try {
          this.stats.modelCalls++;
          done = (await this.engine.translate([seg.text]))[0];
        } catch (err) {
          last = err;
        }
      }
      results.push(done ?? new Error(describeError(last)));
    }
    return results;
  }
}
