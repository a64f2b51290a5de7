/**
 * Several Marian engines in worker threads, each with its own ONNX Runtime session and thread
 * count, behind the one TranslationEngine interface. Two workers with one thread each use two
 * cores better than one session with two threads: most of a decoder step is too small to split.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { InputTooLongError, ModelError } from '../errors.js';
import { checkModelDir } from '../model/files.js';
import { hashModelFiles } from '../model/info.js';
import type { ModelInfo } from '../types.js';
import type { EngineOutput, EngineStats, TranslateOptions, TranslationEngine } from './engine.js';
import { loadTokenizer, resolveDecoding, type MarianEngineOptions } from './marian-engine.js';
import { configureRuntime } from './runtime.js';
import type { WorkerReply, WorkerRequest } from './engine-worker.js';

interface Pending {
  resolve: (v: EngineOutput[]) => void;
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

  private constructor(
    readonly info: ModelInfo,
    readonly maxInputTokens: number,
    private readonly tokenizer: PreTrainedTokenizer,
  ) {}

  /** Number of model calls the pool runs at once. */
  get workers(): number {
    return this.slots.length;
  }

  static async load(options: MarianEngineOptions, workers: number): Promise<WorkerPoolEngine> {
    if (!options.checked) checkModelDir(options.dir, options.dtype);
    configureRuntime(options.modelsRoot);
    const hash = options.hash ?? (await hashModelFiles(options.dir, options.dtype));
    // Checked, hashed and with beams resolved once here, not again in every worker.
    const workerOptions: MarianEngineOptions = { ...options, hash, checked: true, decoding: resolveDecoding(options.dir, options.decoding) };
    // This thread's tokenizer (countTokens) loads while the workers load theirs and the model.
    const tokenizerLoad = loadTokenizer(options.dir);
    const started = await Promise.allSettled(Array.from({ length: workers }, () => startWorker(workerOptions)));
    const tokenizer = await tokenizerLoad.catch((err: unknown) => err as Error);
    const ok = started.filter((s): s is PromiseFulfilledResult<Started> => s.status === 'fulfilled').map((s) => s.value);
    const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (tokenizer instanceof Error || failure) {
      await Promise.all(ok.map((s) => s.worker.terminate()));
      throw tokenizer instanceof Error ? tokenizer : failure!.reason;
    }
    const first = ok[0]!;
    const pool = new WorkerPoolEngine(first.info, first.maxInputTokens, tokenizer);
    for (const s of ok) pool.attach(s.worker);
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
      if (msg.type === 'result') p.resolve(msg.outputs);
      else p.reject(rebuildError(msg));
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => {
      if (!this.closed) this.failAll(new Error(`engine worker exited with code ${code}`));
    });
    this.slots.push(slot);
  }

  countTokens(text: string): number {
    return this.tokenizer.encode(text).length;
  }

  async translate(segments: readonly string[], options: TranslateOptions = {}): Promise<EngineOutput[]> {
    if (segments.length === 0) return [];
    if (this.closed) throw new Error('engine is closed');
    const slot = await this.acquire();
    const id = this.nextId++;
    return new Promise<EngineOutput[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const req: WorkerRequest = { type: 'translate', id, segments: [...segments], options };
      slot.worker.postMessage(req);
    });
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

interface Started {
  readonly worker: Worker;
  readonly info: ModelInfo;
  readonly maxInputTokens: number;
}

function startWorker(options: MarianEngineOptions): Promise<Started> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl());
    const onMessage = (msg: WorkerReply): void => {
      if (msg.type === 'ready') {
        worker.off('message', onMessage);
        resolve({ worker, info: msg.info, maxInputTokens: msg.maxInputTokens });
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

function rebuildError(msg: Extract<WorkerReply, { type: 'error' }>): Error {
  if (msg.name === 'ModelError') return new ModelError(msg.message, msg.folder ?? '');
  if (msg.name === 'InputTooLongError' && msg.tokens !== undefined && msg.maxTokens !== undefined) {
    return new InputTooLongError(msg.tokens, msg.maxTokens);
  }
  const err = new Error(msg.message);
  err.name = msg.name;
  return err;
}

