/**
 * What a usable model folder holds, where a model id lives on disk, and the one message
 * a user gets when the folder is not usable.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, ModelError, describeError } from '../errors.js';
import type { Dtype } from '../types.js';

export const DEFAULT_MODEL_ID = 'Xenova/opus-mt-id-en';

/** Files every dtype needs besides its ONNX weights. */
export const JSON_FILES: readonly string[] = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
];

export function onnxFiles(dtype: Dtype): string[] {
  const suffix = dtype === 'q8' ? '_quantized' : '';
  return [`onnx/encoder_model${suffix}.onnx`, `onnx/decoder_model_merged${suffix}.onnx`];
}

/** Files (POSIX paths relative to the model folder) the engine loads for `dtype`. */
export function requiredFiles(dtype: Dtype): string[] {
  return [...JSON_FILES, ...onnxFiles(dtype)];
}

/** Files `model fetch` downloads: the JSON files once, then the ONNX weights of one or both dtypes. */
export function fetchFiles(dtype: Dtype | 'both'): string[] {
  const dtypes: Dtype[] = dtype === 'both' ? ['q8', 'fp32'] : [dtype];
  return [...JSON_FILES, ...dtypes.flatMap(onnxFiles)];
}

/** The command that downloads what `checkModelDir` found missing. */
export function fetchCommand(modelId: string, dtype: Dtype | 'both'): string {
  return `npx dwibahasa model fetch ${modelId} --dtype ${dtype}`;
}

/**
 * What to do when the model is not there, in a few short lines: where its files go, how to bring
 * them from a machine that is online, and how to try the tool right now with the generated test
 * model. `why` is the first line (what is wrong).
 */
export function missingModelHelp(why: string, dir: string, modelId: string, dtype: Dtype): string {
  return [
    why,
    `  Its files go in ${dir}${path.sep}:`,
    `    ${requiredFiles(dtype).join(', ')}`,
    `  On a machine that is online, run "${fetchCommand(modelId, dtype)}" and copy the folder it names to the one above.`,
    '  To try dwibahasa now with the generated test model (its English is random words):',
    `    ${TEST_MODEL_COMMANDS.join('\n    ')}`,
  ].join('\n');
}

/** The two commands that make the test model and translate the samples with it (run in a clone). */
export const TEST_MODEL_COMMANDS: readonly string[] = [
  'npm run make-test-model -- --preset tiny --out models/test/tiny',
  'npx dwibahasa translate samples/articles --out out --model models/test/tiny',
];

/** Hub ids are "name" or "owner/name"; anything else cannot be a hub URL path. */
const ID_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Whether `id` is a hub-style model id (see assertModelId), not a path. */
export function isModelId(id: string, maxSegments = 3): boolean {
  const segments = id.split('/');
  return !(
    id === '' ||
    path.isAbsolute(id) ||
    path.win32.isAbsolute(id) ||
    id.includes('\\') ||
    segments.length > maxSegments ||
    segments.some((s) => s === '..' || s === '.' || !ID_SEGMENT.test(s))
  );
}

/**
 * Throws ConfigError unless `id` is a hub-style model id: one to three segments of letters,
 * digits, "_", "-", "." — never "..", never absolute. Keeps ids from escaping the models folder
 * or reaching another path on the hub.
 */
export function assertModelId(id: string, where: { file?: string; key?: string } = {}, maxSegments = 3): void {
  if (!isModelId(id, maxSegments)) {
    throw new ConfigError(
      `"${id}" is not a valid model id: expected "owner/name" like ${DEFAULT_MODEL_ID} ` +
        '(letters, digits, "_", "-", "."; no ".." or absolute parts), or a folder path starting with ./ or ../',
      where.file,
      where.key ?? 'model.id',
    );
  }
}

/**
 * The folder a model is loaded from. A path is used as is when it is absolute, starts with
 * ./ or ../, or lies inside the models root (e.g. "models/Xenova/opus-mt-id-en"); anything else is
 * a model id and lives at modelsRoot/ID.
 */
export function resolveModelDir(
  modelsRoot: string,
  idOrFolder: string,
  where: { file?: string; key?: string } = {},
): string {
  const s = idOrFolder;
  if (path.isAbsolute(s) || /^\.\.?([/\\]|$)/.test(s)) return path.normalize(s);
  // Resolved against the working folder, a path under the models root names a folder, not an id.
  if (path.resolve(s).startsWith(path.resolve(modelsRoot) + path.sep)) return path.normalize(s);
  assertModelId(s, where);
  return path.join(modelsRoot, ...s.split('/'));
}

function readModelType(configPath: string, dir: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (err) {
    throw new ModelError(
      `${configPath} is not valid JSON (${describeError(err)}); delete it and download the model again`,
      dir,
      { cause: err },
    );
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const t = (parsed as Record<string, unknown>)['model_type'];
  return typeof t === 'string' ? t : undefined;
}

function fileSize(p: string): number | undefined {
  try {
    const st = statSync(p);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/** Names of files under `dir` (POSIX, relative) ending in ".part": downloads that were cut. */
function partialDownloads(dir: string): string[] {
  const out: string[] = [];
  for (const sub of ['', 'onnx']) {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, sub));
    } catch {
      continue;
    }
    for (const n of names) if (n.endsWith('.part')) out.push(sub ? `${sub}/${n}` : n);
  }
  return out;
}

/**
 * Throws ModelError, with one message that says what to do, unless `dir` holds every file
 * the engine needs for `dtype` and its config.json names a Marian model.
 * `modelId` only shapes the suggested fetch command (default: the project's default model).
 */
export function checkModelDir(dir: string, dtype: Dtype, opts: { modelId?: string } = {}): void {
  const cmd = fetchCommand(opts.modelId ?? DEFAULT_MODEL_ID, dtype);
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new ModelError(missingModelHelp(`model ${opts.modelId ?? dir} is not installed: ${dir} does not exist.`, dir, opts.modelId ?? DEFAULT_MODEL_ID, dtype), dir);
  }
  if (!st.isDirectory()) {
    throw new ModelError(`model path ${dir} is not a folder; point model.id at a model folder or a model id`, dir);
  }

  const missing: string[] = [];
  const empty: string[] = [];
  for (const f of requiredFiles(dtype)) {
    const size = fileSize(path.join(dir, f));
    if (size === undefined) missing.push(f);
    else if (size === 0) empty.push(f);
  }

  const configPath = path.join(dir, 'config.json');
  if (!missing.includes('config.json') && !empty.includes('config.json')) {
    const modelType = readModelType(configPath, dir);
    if (modelType !== 'marian') {
      const found = modelType === undefined ? 'no model_type' : `model_type "${modelType}"`;
      throw new ModelError(
        `${configPath} has ${found}, but dwibahasa needs a MarianMT model (model_type "marian"), ` +
          `such as ${DEFAULT_MODEL_ID}; point model.id at a Marian model`,
        dir,
      );
    }
  }

  if (missing.length === 0 && empty.length === 0) return;
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`);
  if (empty.length > 0) problems.push(`empty ${empty.join(', ')}`);
  const notes: string[] = [];
  const parts = partialDownloads(dir);
  if (parts.length > 0) notes.push(` A partial download (${parts.join(', ')}) is there: the fetch command resumes it.`);
  const other: Dtype = dtype === 'q8' ? 'fp32' : 'q8';
  if (requiredFiles(other).every((f) => (fileSize(path.join(dir, f)) ?? 0) > 0)) {
    notes.push(` The ${other} files are complete: --dtype ${other} would work now.`);
  }
  throw new ModelError(
    `model folder ${dir} is incomplete for dtype ${dtype}: ${problems.join('; ')}. ` +
      `Download the missing files with: ${cmd}${notes.join('')}`,
    dir,
  );
}

/**
 * A user-facing message for an ONNX Runtime failure to load `file`: corrupt or truncated weights
 * are the usual cause, and fetching again is the fix.
 */
export function describeOnnxLoadError(file: string, err: unknown, opts: { modelId?: string } = {}): string {
  const firstLine = (describeError(err).split('\n')[0] ?? '').trim();
  const detail = firstLine.length > 200 ? `${firstLine.slice(0, 197)}...` : firstLine;
  const dtype: Dtype = file.includes('_quantized') ? 'q8' : 'fp32';
  return (
    `${file} is not a valid ONNX model (${detail || 'unknown error'}); delete it and run the fetch command again: ` +
    fetchCommand(opts.modelId ?? DEFAULT_MODEL_ID, dtype)
  );
}
