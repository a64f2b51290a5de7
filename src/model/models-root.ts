/**
 * Which folder models are looked up in (and `model fetch` writes to), so that a run from any
 * folder finds the model a user installed. In order:
 *   1. model.dir set in the config file (relative to the config file's folder) or by --set;
 *   2. the DWIBAHASA_MODELS environment variable;
 *   3. ./models, when it holds the configured model (a clone of the project, run from its root);
 *   4. the per-user cache: $XDG_CACHE_HOME/dwibahasa/models, else ~/.cache/dwibahasa/models.
 * (A --model that names a folder bypasses all of this: that folder is the model.)
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';

export interface ModelsRoot {
  /** Absolute folder. */
  readonly dir: string;
  /** Why this folder, in words for `model info` and error messages. */
  readonly why: string;
  readonly source: 'config' | 'env' | 'cwd' | 'cache';
}

export interface ModelsRootEnv {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly home?: string;
}

/** $XDG_CACHE_HOME/dwibahasa/models, else ~/.cache/dwibahasa/models. */
export function userModelsDir(opts: ModelsRootEnv = {}): string {
  const env = opts.env ?? process.env;
  const xdg = env['XDG_CACHE_HOME']?.trim();
  // The XDG spec ignores a relative XDG_CACHE_HOME.
  const cache = xdg && path.isAbsolute(xdg) ? xdg : path.join(opts.home ?? homedir(), '.cache');
  return path.join(cache, 'dwibahasa', 'models');
}

export function resolveModelsRoot(loaded: Pick<LoadedConfig, 'config' | 'file' | 'baseDir' | 'given'>, opts: ModelsRootEnv = {}): ModelsRoot {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  if (loaded.given.has('model.dir')) {
    const dir = path.resolve(loaded.baseDir, loaded.config.model.dir);
    const why = loaded.file !== undefined ? `model.dir in ${loaded.file}` : 'model.dir set on the command line';
    return { dir, why, source: 'config' };
  }
  const fromEnv = env['DWIBAHASA_MODELS']?.trim();
  if (fromEnv) return { dir: path.resolve(cwd, fromEnv), why: 'the DWIBAHASA_MODELS environment variable', source: 'env' };
  const local = path.join(cwd, 'models');
  const id = loaded.config.model.id;
  if (!path.isAbsolute(id) && !/^\.\.?[/\\]/.test(id) && existsSync(path.join(local, ...id.split('/'), 'config.json'))) {
    return { dir: local, why: `./models in the current folder holds ${id}`, source: 'cwd' };
  }
  return {
    dir: userModelsDir(opts),
    why: 'the per-user cache (no model.dir in a config file, no DWIBAHASA_MODELS, no ./models with the model)',
    source: 'cache',
  };
}
