/**
 * The one place where transformers.js' global `env` is set. Its defaults point inside
 * node_modules and reach for the hub; dwibahasa loads only from its own models folder.
 */
import { join } from 'node:path';
import { env, LogLevel } from '@huggingface/transformers';

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
