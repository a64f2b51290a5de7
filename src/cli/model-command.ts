/** `dwibahasa model fetch|info`: get the model onto disk and see what is there. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { ModelError, UsageError } from '../errors.js';
import { fetchModel, reportFetchProgress, resolveEndpoint } from '../model/fetch.js';
import { checkModelDir, resolveModelDir } from '../model/files.js';
import { formatModelInfo, modelInfo } from '../model/info.js';
import { resolveModelsRoot, type ModelsRoot } from '../model/models-root.js';
import { createProgress, formatBytes } from '../progress.js';
import { safeLines } from '../safe-text.js';
import type { Dtype } from '../types.js';
import type { Command, CommandGroup } from './command.js';
import type { OptionSpec, ParsedArgs } from './options.js';

const CONFIG: OptionSpec = { name: 'config', short: 'c', kind: 'string', value: 'FILE', default: './config.yaml when present', help: 'configuration file' };

const MODELS_FOLDER_NOTE =
  'The models folder is, in order: model.dir of the config file (relative to that file), else $DWIBAHASA_MODELS,\n' +
  'else ./models when it holds the model, else the per-user cache ($XDG_CACHE_HOME or ~/.cache)/dwibahasa/models.';

function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

function loadFor(args: ParsedArgs): { loaded: LoadedConfig; root: ModelsRoot } {
  const loaded = loadConfig(str(args, 'config'));
  return { loaded, root: resolveModelsRoot(loaded) };
}

const fetchSub: Command = {
  name: 'fetch',
  summary: 'download a model from the Hugging Face hub (resumable)',
  usage: '[MODEL_ID] [options]',
  options: [
    CONFIG,
    { name: 'dtype', kind: 'string', value: 'q8|fp32|both', default: 'model.dtype of the config (q8)', help: 'which weights to download' },
    { name: 'revision', kind: 'string', value: 'REV', default: 'main', help: 'branch, tag or commit on the hub' },
  ],
  notes: `MODEL_ID defaults to model.id of the config (Xenova/opus-mt-id-en).\n${MODELS_FOLDER_NOTE}`,
  async run(args) {
    const { loaded, root } = loadFor(args);
    const { config } = loaded;
    if (args.positionals.length > 1) throw new UsageError(`model fetch: one model id at most, got ${args.positionals.length}`);
    const id = args.positionals[0] ?? config.model.id;
    const dtype = str(args, 'dtype') ?? config.model.dtype;
    if (dtype !== 'q8' && dtype !== 'fp32' && dtype !== 'both') {
      throw new UsageError(`model fetch: --dtype wants q8, fp32 or both, got "${dtype}"`);
    }
    const endpoint = resolveEndpoint(config.model.endpoint || undefined);
    const destDir = path.resolve(resolveModelDir(root.dir, id));
    const isTTY = Boolean(process.stderr.isTTY);
    const bar = createProgress({ stream: process.stderr, isTTY });
    process.stderr.write(safeLines(`Fetching ${id} (${dtype}) from ${endpoint} into ${destDir}\n  (models folder: ${root.why})\n`));
    const revision = str(args, 'revision');
    const result = await fetchModel({
      modelId: id,
      destDir,
      dtype: dtype as Dtype | 'both',
      endpoint,
      ...(revision ? { revision } : {}),
      onProgress: reportFetchProgress(bar),
    });
    process.stdout.write(safeLines(`Done: ${result.files.length} files in ${result.dir} (${formatBytes(result.bytesDownloaded)} downloaded)\n`));
    return 0;
  },
};

const infoSub: Command = {
  name: 'info',
  summary: 'the models folder (and why that one), the installed models, and whether the configured model is usable',
  usage: '[options]',
  options: [
    CONFIG,
    { name: 'model', short: 'm', kind: 'string', value: 'ID|FOLDER', default: 'model.id of the config (Xenova/opus-mt-id-en)', help: 'the model to check' },
    { name: 'dtype', kind: 'string', value: 'q8|fp32', default: 'model.dtype of the config (q8)', help: 'the weights to check' },
  ],
  notes: `Exit code 0 when the model to check is usable, 1 when it is missing or incomplete.\n${MODELS_FOLDER_NOTE}`,
  async run(args) {
    const { loaded, root } = loadFor(args);
    const id = str(args, 'model') ?? loaded.config.model.id;
    const dtype = str(args, 'dtype') ?? loaded.config.model.dtype;
    if (dtype !== 'q8' && dtype !== 'fp32') throw new UsageError(`model info: --dtype wants q8 or fp32, got "${dtype}"`);
    const models = await modelInfo(root.dir);
    const lines = [`Models folder: ${root.dir}`, `  (${root.why})`, ''];
    lines.push(models.length === 0 ? `No models installed in ${root.dir}.\n` : formatModelInfo(models, root.dir));
    // A folder named by --model is the model itself, wherever it is.
    const isFolder = path.isAbsolute(id) || /^\.\.?([/\\]|$)/.test(id) || existsSync(path.join(id, 'config.json'));
    const dir = isFolder ? path.resolve(id) : path.resolve(resolveModelDir(root.dir, id));
    let code = 0;
    try {
      checkModelDir(dir, dtype, isFolder ? {} : { modelId: id });
      lines.push(`Model to use: ${id} (${dtype}) is installed in ${dir}`);
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      lines.push(`Model to use: ${id} (${dtype}) is MISSING or incomplete.`, err.message);
      code = 1;
    }
    process.stdout.write(safeLines(lines.join('\n')) + '\n');
    return code;
  },
};

export const modelCommand: CommandGroup = {
  name: 'model',
  summary: 'get the translation model and see what is installed',
  subcommands: [fetchSub, infoSub],
};
