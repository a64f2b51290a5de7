/**
 * From a run's options to its checked configuration, before anything is written: the config file
 * and overrides (config errors), the inputs and output folder (usage errors), and the models
 * folder. `translate()` and `planTranslation()` (--dry-run) start here.
 */
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { applyModelOption } from '../config/model-option.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { memoryPath as memoryPathOf } from '../memory/memory-path.js';
import { resolveModelsRoot, type ModelsRoot } from '../model/models-root.js';
import { checkOutFolder } from './out-folder.js';
import { checkInputs, checkOutDir } from './preflight.js';

/**
 * Settings that replace the config file's, section by section, checked by the same rules
 * (e.g. `{ decoding: { beams: 1 }, output: { formats: ['md', 'json'] } }`).
 */
export type ConfigOverrides = {
  readonly [S in Exclude<keyof Config, 'glossary' | 'glossary_file'>]?: { readonly [K in keyof Config[S]]?: Config[S][K] };
} & {
  /** Replaces the config file's glossary (Indonesian term → wanted English). */
  readonly glossary?: Readonly<Record<string, string>>;
  /** A glossary file (.tsv, .csv, .yaml), relative to the config file's folder. */
  readonly glossary_file?: string;
};

export interface RunConfigOptions {
  /** Files and folders to translate. */
  readonly inputs: readonly string[];
  /** Output folder for the bilingual files (created when missing). */
  readonly out: string;
  /** Configuration file; when absent, ./config.yaml if there is one (as the CLI), else the defaults. */
  readonly configFile?: string;
  /** Settings over the config file's. */
  readonly config?: ConfigOverrides;
  /**
   * Settings as dotted keys with text values, as `--set KEY=VALUE` takes them
   * (`{ 'queue.batch_size': '8', 'glossary.DPR': 'House' }`); `config` and `model` win over these.
   */
  readonly settings?: Readonly<Record<string, string>>;
  /** Model id under the models folder, or a model folder (relative to the current directory). */
  readonly model?: string;
}

export interface RunConfig {
  /** With model.dir the absolute models folder (see model/models-root.ts). */
  readonly config: Config;
  readonly baseDir: string;
  readonly modelsRoot: ModelsRoot;
  readonly outDir: string;
  /** The translation memory file (also used when memory.enabled is false, for people's corrections). */
  readonly memoryPath: string;
}

export function resolveRunConfig(options: RunConfigOptions): RunConfig {
  const loaded = loadConfig(options.configFile, overridesOf(options));
  const { config, baseDir } = loaded;
  if (options.config?.glossary !== undefined) config.glossary = { ...options.config.glossary };
  checkInputs(options.inputs);
  checkOutDir(options.out);
  // An output folder that is (or holds) an input folder is refused.
  checkOutFolder(options.inputs, path.resolve(options.out));
  const modelsRoot = resolveModelsRoot(loaded);
  config.model.dir = modelsRoot.dir;
  applyModelOption(config, options.model);
  const outDir = path.resolve(options.out);
  const memoryPath = memoryPathOf(config, outDir, baseDir);
  return { config, baseDir, modelsRoot, outDir, memoryPath };
}

/** Typed overrides → the dotted keys and raw values the config loader checks like the file's. */
function overridesOf(options: RunConfigOptions): Record<string, string> {
  const out: Record<string, string> = { ...options.settings };
  if (options.model !== undefined) out['model.id'] = options.model;
  for (const [section, values] of Object.entries(options.config ?? {})) {
    if (section === 'glossary' || values === undefined) continue;
    if (section === 'glossary_file') {
      out.glossary_file = String(values);
      continue;
    }
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      if (value === undefined || (section === 'model' && key === 'id' && options.model !== undefined)) continue;
      if (Array.isArray(value)) {
        const items = value.map(String);
        const bad = items.find((v) => v.includes(','));
        if (bad !== undefined) throw new ConfigError(`config override ${section}.${key}: "${bad}" cannot contain a comma`, undefined, `${section}.${key}`);
        out[`${section}.${key}`] = items.join(',');
      } else {
        out[`${section}.${key}`] = String(value);
      }
    }
  }
  return out;
}
