import path from 'node:path';
import type { Config } from '../config/schema.js';

/**
 * The translation memory of a run into `outDir`: config memory.path (relative to the config file's
 * folder), or OUT/.dwibahasa/memory.sqlite. One rule for translate, serve and memory clear-human.
 */
export function memoryPath(config: Config, outDir: string, baseDir: string): string {
  return config.memory.path === '' ? path.join(outDir, '.dwibahasa', 'memory.sqlite') : path.resolve(baseDir, config.memory.path);
}
