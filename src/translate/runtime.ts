/**
 * The one place where transformers.js' global `env` is set. Its defaults point inside
 * node_modules and reach for the hub; dwibahasa loads only from its own models folder.
 */
import { join } from 'node:path';
import { env, LogLevel } from '@huggingface/transformers';

/** A transformers.js model's ONNX sessions, as far as timing them needs. */
interface TimedModel {
  readonly sessions: Record<string, { run: (...args: unknown[]) => Promise<unknown> }>;
}

/**
 * Wrap every ONNX Runtime session of `model` so that the time spent inside its `run` calls is
 * reported to `onRun`: the share of wall time that is model work rather than overhead.
 */
export function timeSessionRuns(model: unknown, onRun: (ms: number) => void): void {
  for (const session of Object.values((model as TimedModel).sessions)) {
    const run = session.run.bind(session);
    session.run = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await run(...args);
      } finally {
        onRun(performance.now() - t);
      }
    };
  }
}

/** Point transformers.js at `modelsRoot`, offline. Safe to call more than once. */
export function configureRuntime(modelsRoot: string): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = modelsRoot.endsWith('/') ? modelsRoot : modelsRoot + '/';
  env.cacheDir = join(modelsRoot, '.cache');
  // The library warns on every MarianTokenizer load that Marian is "not yet supported" by its fast
  // tokenizers. The warning says nothing a user can act on, so only errors reach the terminal.
  env.logLevel = LogLevel.ERROR;
}
