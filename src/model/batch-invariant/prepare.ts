/**
 * The batch-invariant int8 model folder: the q8 ONNX files rewritten by rowQuantize plus copies of
 * the JSON files, kept under cacheRoot/rowq8/<source hash>-v<rewrite version>/ so that the rewrite
 * (seconds for the full model) runs once per model, not once per run or per worker.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelError, describeError } from '../../errors.js';
import { checkModelDir, JSON_FILES, onnxFiles, requiredFiles } from '../files.js';
import { hashModelFiles } from '../info.js';
import { ProtoDecodeError } from '../../onnx/wire.js';
import { rowQuantize, RowQuantizeError } from './row-quantize.js';

/** Bump when the rewrite changes its output: old cache folders are then left unused. */
export const ROW_Q8_VERSION = 1;

/** Written last, before the folder is renamed into place: a folder that has it is complete. */
const MARKER = 'rowq8.json';

export interface PreparedRowQuantized {
  /** Absolute path of the folder to load with dtype 'q8'. */
  readonly dir: string;
  /** True when an earlier call had already written it. */
  readonly reused: boolean;
}

interface Marker {
  readonly version: number;
  readonly source: string;
  readonly sourceHash: string;
  /** DynamicQuantizeLinear nodes replaced, per ONNX file. */
  readonly replaced: Record<string, number>;
}

export interface PrepareOptions {
  /** The caller has already checked `modelDir` with checkModelDir for q8 (openEngine has). */
  readonly checked?: boolean;
}

/** prepareRowQuantizedFolder, returning only the folder. */
export async function prepareRowQuantized(modelDir: string, cacheRoot: string, opts: PrepareOptions = {}): Promise<string> {
  return (await prepareRowQuantizedFolder(modelDir, cacheRoot, opts)).dir;
}

/**
 * Writes (or finds) the row-quantized copy of the q8 model in `modelDir`. Safe against concurrent
 * callers: each writes a private temporary folder and renames it into place; the first one wins.
 * Throws ModelError when the q8 files are missing or cannot be rewritten.
 */
export async function prepareRowQuantizedFolder(modelDir: string, cacheRoot: string, opts: PrepareOptions = {}): Promise<PreparedRowQuantized> {
  if (!opts.checked) checkModelDir(modelDir, 'q8');
  const sourceHash = await hashModelFiles(modelDir, 'q8');
  const base = path.resolve(cacheRoot, 'rowq8');
  const dir = path.join(base, `${sourceHash}-v${ROW_Q8_VERSION}`);
  if (await isComplete(dir)) return { dir, reused: true };

  await mkdir(base, { recursive: true });
  const tmp = path.join(base, `.tmp-${sourceHash}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(path.join(tmp, 'onnx'), { recursive: true });
    for (const name of JSON_FILES) await copyFile(path.join(modelDir, name), path.join(tmp, name));
    const replaced: Record<string, number> = {};
    for (const name of onnxFiles('q8')) replaced[name] = await rewriteFile(modelDir, name, path.join(tmp, name));
    const marker: Marker = { version: ROW_Q8_VERSION, source: path.resolve(modelDir), sourceHash, replaced };
    await writeFile(path.join(tmp, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    try {
      await rename(tmp, dir);
    } catch (err) {
      // Another process renamed its copy into place first: use that one.
      if (await isComplete(dir)) return { dir, reused: true };
      throw new ModelError(`cannot create ${dir} (${describeError(err)}); check that the models folder is writable`, modelDir, { cause: err });
    }
    return { dir, reused: false };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(path.join(dir, MARKER), 'utf8')) as Partial<Marker>;
    if (marker.version !== ROW_Q8_VERSION) return false;
    // Every file the engine loads, so that the folder can be used without checking it again.
    for (const name of requiredFiles('q8')) if (!(await stat(path.join(dir, name))).isFile()) return false;
    return true;
  } catch {
    return false;
  }
}

/** Rewrites one ONNX file; returns how many DynamicQuantizeLinear nodes it replaced. */
async function rewriteFile(modelDir: string, name: string, target: string): Promise<number> {
  const source = path.join(modelDir, name);
  const bytes = await readFile(source);
  let result;
  try {
    result = rowQuantize(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (err) {
    if (err instanceof RowQuantizeError || err instanceof ProtoDecodeError) {
      throw new ModelError(
        `cannot make ${source} batch-invariant: ${err.message}. ` +
          'Use dtype fp32, or fetch the model again if the file is damaged',
        modelDir,
        { cause: err },
      );
    }
    throw err;
  }
  const fh = await open(target, 'w');
  try {
    const chunks = result.model.finish();
    // writev takes many small chunks per call; batches keep the iovec count bounded.
    for (let i = 0; i < chunks.length; i += 512) await fh.writev(chunks.slice(i, i + 512));
  } finally {
    await fh.close();
  }
  return result.replaced;
}
