/**
 * A model folder derived from another by rewriting some of its ONNX files, cached under
 * cacheRoot/<kind>/<source hash>-v<version>/ so that a rewrite runs once per model, not once per run
 * or per worker. The batch-invariant int8 rewrite and the fused decoder selection both use it.
 *
 * Safe against concurrent callers and crashes: each caller writes a private temporary folder and
 * renames it into place (the first one wins); a marker file written last says the folder is complete.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelError, describeError } from '../errors.js';
import type { Dtype } from '../types.js';
import { JSON_FILES, onnxFiles, requiredFiles } from './files.js';
import { hashModelFiles } from './info.js';

export interface PreparedFolder {
  /** Absolute path of the folder to load. */
  readonly dir: string;
  /** True when an earlier call had already written it. */
  readonly reused: boolean;
}

/** What one ONNX file became: its new bytes (as chunks, e.g. views of the source) and a note for the marker. */
export interface RewrittenFile {
  readonly chunks: readonly Uint8Array[];
  readonly note: unknown;
}

export interface FolderRewrite {
  /** Sub-folder of the cache root, and the marker file's stem (`<kind>.json`). */
  readonly kind: string;
  /** Bump when the rewrite changes its output: old cache folders are then left unused. */
  readonly version: number;
  readonly dtype: Dtype;
  /**
   * The new contents of the ONNX file `name` (POSIX path in the folder), or undefined to use the
   * source file as it is (hard-linked, or copied where links are not possible). May throw ModelError.
   */
  rewrite(name: string, bytes: Uint8Array, modelDir: string): RewrittenFile | undefined;
}

interface Marker {
  readonly version: number;
  readonly source: string;
  readonly sourceHash: string;
  readonly files: Record<string, unknown>;
}

/** Writes (or finds) the rewritten copy of the model in `modelDir`. */
export async function prepareFolder(modelDir: string, cacheRoot: string, r: FolderRewrite): Promise<PreparedFolder> {
  const sourceHash = await hashModelFiles(modelDir, r.dtype);
  const base = path.resolve(cacheRoot, r.kind);
  const dir = path.join(base, `${sourceHash}-v${r.version}`);
  const marker = `${r.kind}.json`;
  if (await isComplete(dir, marker, r)) return { dir, reused: true };

  await mkdir(base, { recursive: true });
  const tmp = path.join(base, `.tmp-${sourceHash}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(path.join(tmp, 'onnx'), { recursive: true });
    for (const name of JSON_FILES) await copyFile(path.join(modelDir, name), path.join(tmp, name));
    const files: Record<string, unknown> = {};
    for (const name of onnxFiles(r.dtype)) {
      const source = path.join(modelDir, name);
      const bytes = await readFile(source);
      const result = r.rewrite(name, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), modelDir);
      if (result) {
        await writeChunks(path.join(tmp, name), result.chunks);
        files[name] = result.note;
      } else {
        await linkOrCopy(source, path.join(tmp, name));
        files[name] = 'unchanged';
      }
    }
    const m: Marker = { version: r.version, source: path.resolve(modelDir), sourceHash, files };
    await writeFile(path.join(tmp, marker), `${JSON.stringify(m, null, 2)}\n`);
    try {
      await rename(tmp, dir);
    } catch (err) {
      // Another process renamed its copy into place first: use that one.
      if (await isComplete(dir, marker, r)) return { dir, reused: true };
      throw new ModelError(`cannot create ${dir} (${describeError(err)}); check that the models folder is writable`, modelDir, { cause: err });
    }
    return { dir, reused: false };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function isComplete(dir: string, marker: string, r: FolderRewrite): Promise<boolean> {
  try {
    const m = JSON.parse(await readFile(path.join(dir, marker), 'utf8')) as Partial<Marker>;
    if (m.version !== r.version) return false;
    // Every file the engine loads, so that the folder can be used without checking it again.
    for (const name of requiredFiles(r.dtype)) if (!(await stat(path.join(dir, name))).isFile()) return false;
    return true;
  } catch {
    return false;
  }
}

async function writeChunks(target: string, chunks: readonly Uint8Array[]): Promise<void> {
  const fh = await open(target, 'w');
  try {
    // writev takes many small chunks per call; batches keep the iovec count bounded.
    for (let i = 0; i < chunks.length; i += 512) await fh.writev(chunks.slice(i, i + 512));
  } finally {
    await fh.close();
  }
}

/** A hard link costs no disk space; another file system (or one without links) gets a copy. */
async function linkOrCopy(source: string, target: string): Promise<void> {
  try {
    await link(source, target);
  } catch {
    await copyFile(source, target);
  }
}
