/**
 * Runs one ModelRunner in a worker thread for the WorkerPoolEngine: token ids in, token ids out.
 * The tokenizer stays in the pool's thread, so a worker loads only ONNX Runtime and the model.
 */
import { parentPort } from 'node:worker_threads';
import { InputTooLongError, ModelError } from '../errors.js';
import type { EngineStats, TranslateOptions } from './engine.js';
import { ModelRunner, type RunnerOptions } from './model-runner.js';

export type WorkerRequest =
  | { readonly type: 'init'; readonly options: RunnerOptions }
  | { readonly type: 'generate'; readonly id: number; readonly ids: number[][]; readonly options: TranslateOptions }
  | { readonly type: 'stats'; readonly id: number };

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly generated: number[][] }
  | { readonly type: 'stats'; readonly id: number; readonly stats: EngineStats }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly name: string;
      readonly message: string;
      readonly folder?: string;
      readonly tokens?: number;
      readonly maxTokens?: number;
    };

function errorReply(id: number, err: unknown): WorkerReply {
  if (err instanceof ModelError) return { type: 'error', id, name: 'ModelError', message: err.message, folder: err.folder };
  if (err instanceof InputTooLongError) {
    return { type: 'error', id, name: 'InputTooLongError', message: err.message, tokens: err.tokens, maxTokens: err.maxTokens };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { type: 'error', id, name: e.name, message: e.message };
}

if (parentPort) {
  const port = parentPort;
  let runner: ModelRunner | undefined;
  port.on('message', (msg: WorkerRequest) => {
    if (msg.type === 'init') {
      ModelRunner.load(msg.options).then(
        (r) => {
          runner = r;
          port.postMessage({ type: 'ready' } satisfies WorkerReply);
        },
        (err: unknown) => port.postMessage(errorReply(-1, err)),
      );
      return;
    }
    const current = runner;
    if (!current) {
      port.postMessage(errorReply(msg.id, new Error('engine worker not initialised')));
      return;
    }
    if (msg.type === 'stats') {
      port.postMessage({ type: 'stats', id: msg.id, stats: current.stats() } satisfies WorkerReply);
      return;
    }
    current.generate(msg.ids, msg.options).then(
      (generated) => port.postMessage({ type: 'result', id: msg.id, generated } satisfies WorkerReply),
      (err: unknown) => port.postMessage(errorReply(msg.id, err)),
    );
  });
}
