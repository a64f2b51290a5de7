/**
 * Runs one MarianEngine in a worker thread for the WorkerPoolEngine.
 */
import { parentPort } from 'node:worker_threads';
import { InputTooLongError, ModelError } from '../errors.js';
import type { ModelInfo } from '../types.js';
import type { EngineOutput, EngineStats, TranslateOptions } from './engine.js';
import { MarianEngine, type MarianEngineOptions } from './marian-engine.js';

export type WorkerRequest =
  | { readonly type: 'init'; readonly options: MarianEngineOptions }
  | { readonly type: 'translate'; readonly id: number; readonly segments: string[]; readonly options: TranslateOptions }
  | { readonly type: 'stats'; readonly id: number };

export type WorkerReply =
  | { readonly type: 'ready'; readonly info: ModelInfo; readonly maxInputTokens: number }
  | { readonly type: 'result'; readonly id: number; readonly outputs: EngineOutput[] }
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
  let engine: MarianEngine | undefined;
  port.on('message', (msg: WorkerRequest) => {
    if (msg.type === 'init') {
      MarianEngine.load(msg.options).then(
        (e) => {
          engine = e;
          port.postMessage({ type: 'ready', info: e.info, maxInputTokens: e.maxInputTokens } satisfies WorkerReply);
        },
        (err: unknown) => port.postMessage(errorReply(-1, err)),
      );
      return;
    }
    const current = engine;
    if (!current) {
      port.postMessage(errorReply(msg.id, new Error('engine worker not initialised')));
      return;
    }
    if (msg.type === 'stats') {
      void current.stats().then((stats) => port.postMessage({ type: 'stats', id: msg.id, stats } satisfies WorkerReply));
      return;
    }
    current.translate(msg.segments, msg.options).then(
      (outputs) => port.postMessage({ type: 'result', id: msg.id, outputs } satisfies WorkerReply),
      (err: unknown) => port.postMessage(errorReply(msg.id, err)),
    );
  });
}
