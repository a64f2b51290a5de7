/**
 * Several model runners in worker threads, each with its own ONNX Runtime sessions and thread
 * count, behind the one TranslationEngine interface. Two workers with one thread each use two
 * cores better than one session with two threads: most of a decoder step is too small to split.
 * The tokenizer lives here, in the pool's thread: it already counts every segment's tokens for the
 * queue, so the ids it made then are what a worker gets (see IdsCache).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { InputTooLongError, ModelError } from '../errors.js';
import { checkModelDir } from '../model/files.js';
import type { ModelInfo } from '../types.js';
import type { EngineOutput, EngineStats, TranslateOptions, TranslationEngine } from './engine.js';
import { decodeOutputs, encodeSegments, type MarianEngineOptions } from './marian-engine.js';
import { resolveDecoding } from './model-config.js';
import { loadModelIdentity } from './model-identity.js';
import type { RunnerOptions } from './model-runner.js';
import type { WorkerReply, WorkerRequest } from './engine-worker.js';

interface Pending {
  resolve: (v: number[][]) => void;
  reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  busy: boolean;
}

/** The compiled worker script; tests run from src/ but workers need JavaScript, so use dist/. */
function workerUrl(): URL {
  const here = new URL('./engine-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const compiled = new URL(import.meta.url.replace('/src/', '/dist/src/').replace(/\.ts$/, '.js'));
  return new URL('./engine-worker.js', compiled);
}

export class WorkerPoolEngine implements TranslationEngine {
  private readonly slots: Slot[] = [];
  private readonly idle: Array<(slot: Slot) => void> = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly statsWaiters = new Map<number, (s: EngineStats) => void>();
  private closed = false;

  private readonly ids: IdsCache;

  private constructor(
    readonly info: ModelInfo,
    readonly maxInputTokens: number,
    private readonly tokenizer: PreTrainedTokenizer,
  ) {
    this.ids = new IdsCache(tokenizer);
  }

  /** Number of model calls the pool runs at once. */
  get workers(): number {
    return this.slots.length;
  }

  static async load(options: MarianEngineOptions, workers: number): Promise<WorkerPoolEngine> {
    if (!options.checked) checkModelDir(options.dir, options.dtype);
    // Checked and with beams resolved once here, not again in every worker.
    const runnerOptions: RunnerOptions = {
      dir: options.dir,
      dtype: options.dtype,
      threads: options.threads,
      decoding: resolveDecoding(options.dir, options.decoding),
      ...(options.sessionOptions ? { sessionOptions: options.sessionOptions } : {}),
      ...(options.decoder ? { decoder: options.decoder } : {}),
      modelsRoot: options.modelsRoot,
    };
    // This thread's tokenizer and the model's identity load while the workers load the model (its
    // failure is kept, not left unhandled while the workers start).
    const identityLoad = loadModelIdentity({ ...options, checked: true }).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    const started = await Promise.allSettled(Array.from({ length: workers }, () => startWorker(runnerOptions)));
    const identity = await identityLoad;
    const ok = started.filter((s): s is PromiseFulfilledResult<Worker> => s.status === 'fulfilled').map((s) => s.value);
    const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (identity instanceof Error || failure) {
      await Promise.all(ok.map((w) => w.terminate()));
      throw identity instanceof Error ? identity : failure!.reason;
    }
    const pool = new WorkerPoolEngine(identity.info, identity.maxInputTokens, identity.tokenizer);
    for (const w of ok) pool.attach(w);
    return pool;
  }

  private attach(worker: Worker): void {
    const slot: Slot = { worker, busy: false };
    worker.on('message', (msg: WorkerReply) => {
      if (msg.type === 'stats') {
        this.statsWaiters.get(msg.id)?.(msg.stats);
        this.statsWaiters.delete(msg.id);
        return;
      }
      if (msg.type !== 'result' && msg.type !== 'error') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      this.release(slot);
      if (msg.type === 'result') p.resolve(msg.generated);
      else p.reject(rebuildError(msg));
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => {
      if (!this.closed) this.failAll(new Error(`engine worker exited with code ${code}`));
    });
    this.slots.push(slot);
  }

  countTokens(text: string): number {
    return this.ids.encode(text).length;
  }

  async translate(segments: readonly string[], options: TranslateOptions = {}): Promise<EngineOutput[]> {
    if (segments.length === 0) return [];
    if (this.closed) throw new Error('engine is closed');
    const ids = encodeSegments(this.ids, segments, this.maxInputTokens);
    const slot = await this.acquire();
    const id = this.nextId++;
    const generated = await new Promise<number[][]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const req: WorkerRequest = { type: 'generate', id, ids, options };
      slot.worker.postMessage(req);
    });
    return decodeOutputs(this.tokenizer, generated);
  }

  async stats(): Promise<EngineStats> {
    const all = await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<EngineStats>((resolve) => {
            const id = this.nextId++;
            this.statsWaiters.set(id, resolve);
            slot.worker.postMessage({ type: 'stats', id } satisfies WorkerRequest);
          }),
      ),
    );
    return {
      ortMs: all.reduce((n, s) => n + s.ortMs, 0),
      calls: all.reduce((n, s) => n + s.calls, 0),
      workers: this.slots.length,
    };
  }

  private acquire(): Promise<Slot> {
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.idle.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async dispose(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

function startWorker(options: RunnerOptions): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl());
    const onMessage = (msg: WorkerReply): void => {
      if (msg.type === 'ready') {
        worker.off('message', onMessage);
        resolve(worker);
      } else if (msg.type === 'error') {
        worker.off('message', onMessage);
        void worker.terminate();
        reject(rebuildError(msg));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    const req: WorkerRequest = { type: 'init', options };
    worker.postMessage(req);
  });
}

/**
 * The tokenizer, remembering the ids of the texts it counted most recently: the queue counts every
 * segment when it arrives and translates it soon after, so the ids are made once. Bounded: the
 * oldest entries go first.
 */
export class IdsCache {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly tokenizer: Pick<PreTrainedTokenizer, 'encode'>,
    private readonly limit = 20_000,
  ) {}

  encode(text: string): number[] {
    const hit = this.recent.get(text);
    if (hit) return hit;
    const ids = this.tokenizer.encode(text);
    if (this.recent.size >= this.limit) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(text, ids);
    return ids;
  }
}

function rebuildError(msg: Extract<WorkerReply, { type: 'error' }>): Error {
  if (msg.name === 'ModelError') return new ModelError(msg.message, msg.folder ?? '');
  if (msg.name === 'InputTooLongError' && msg.tokens !== undefined && msg.maxTokens !== undefined) {
    return new InputTooLongError(msg.tokens, msg.maxTokens);
  }
  const err = new Error(msg.message);
  err.name = msg.name;
  return err;
}

