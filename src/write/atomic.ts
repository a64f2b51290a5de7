/**
 * Atomic file writes: readers (and a crash) see either the old file or the complete new one,
 * never a half-written output. The data goes to a temp file in the same folder (so the final
 * rename stays on one file system and is atomic), is fsynced, then renamed over the final name.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, lstatSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCode, OutputError } from '../errors.js';

/** The part of an open file the writer uses; node's FileHandle satisfies it. */
export interface AtomicFileHandle {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file-system calls the writer makes. Defaults to node:fs/promises; tests pass a wrapper
 * to make a call fail half-way (e.g. ENOSPC after some bytes).
 */
export interface AtomicFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export interface WriteFileAtomicOptions {
  /** Flush data (and the folder entry) to disk before returning. Default true. */
  readonly fsync?: boolean;
  /** File-system implementation; for tests. */
  readonly fs?: AtomicFs;
}

const TEMP_RE = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** True for names this module gives its temp files: lets a caller sweep leftovers of a killed run. */
export function isAtomicTempName(name: string): boolean {
  return TEMP_RE.test(name);
}

/** The pid of the process that made a temp file of this module (it is in the name), or undefined. */
export function atomicTempPid(name: string): number | undefined {
  const m = TEMP_RE.exec(name);
  return m === null ? undefined : Number(m[1]);
}

function tempPathFor(path: string): string {
  // Cap the base so `.<base>.<pid>.<rand>.tmp` stays under the usual 255-byte name limit.
  const base = basename(path).slice(0, 180);
  return join(dirname(path), `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Node's recursive mkdir reports ENOENT when the folder cannot be made on a read-only file system
 * (and in some cases of a folder the user may not write): the real cause is found by asking the
 * nearest existing ancestor whether it is writable. Other errors are returned as they are.
 */
export function explainMkdirError(err: unknown, folder: string, access: (p: string) => void = (p) => accessSync(p, fsConstants.W_OK)): unknown {
  if (errorCode(err) !== 'ENOENT') return err;
  for (let dir = dirname(folder), prev = folder; dir !== prev; prev = dir, dir = dirname(dir)) {
    let isThere = false;
    try {
      lstatSync(dir);
      isThere = true;
    } catch {
      // Not there either: go up.
    }
    if (!isThere) continue;
    try {
      access(dir);
    } catch (denied) {
      const code = errorCode(denied);
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return denied;
    }
    return err;
  }
  return err;
}

/** A reason a user can act on, from a node error code. */
export function reasonFor(err: unknown): string {
  const code = errorCode(err);
  switch (code) {
    case 'ENOSPC':
      return 'disk full (ENOSPC): free some space and run again';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT): free some space and run again';
    case 'EROFS':
      return 'read-only file system (EROFS): choose an output folder on a writable disk';
    case 'EACCES':
    case 'EPERM':
      return `not writable (${code}): check the folder's permissions or choose another output folder`;
    case 'EISDIR':
      return 'a folder already has that name (EISDIR)';
    case 'ENOTDIR':
    case 'EEXIST':
      return `a file is in the way of the output folder (${code})`;
    case 'ENAMETOOLONG':
      return 'the file name is too long (ENAMETOOLONG)';
    default: {
      const msg = err instanceof Error ? err.message : String(err);
      return code !== undefined && !msg.includes(code) ? `${msg} (${code})` : msg;
    }
  }
}

async function writeAll(handle: AtomicFileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
    // A zero-byte write that does not throw would loop forever; treat it as a full disk.
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'ENOSPC' });
    offset += bytesWritten;
  }
}

/** Make the rename itself durable; not every platform can open a folder, so failures are ignored. */
async function syncFolder(folder: string): Promise<void> {
  let handle: nodeFs.FileHandle | undefined;
  try {
    handle = await nodeFs.open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows and some network file systems refuse; the file itself is already synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Make sure `folder` exists; OutputError naming `path` otherwise. */
async function makeFolder(fs: AtomicFs, folder: string, path: string, injected: boolean): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true });
  } catch (err) {
    const cause = injected ? err : explainMkdirError(err, folder);
    throw new OutputError(`cannot create output folder ${folder}: ${reasonFor(cause)}`, path, { cause });
  }
}

/** Write the bytes to a new temp file beside `path` and return its name; nothing is left behind on failure. */
async function writeTemp(fs: AtomicFs, path: string, bytes: Uint8Array, fsync: boolean): Promise<string> {
  const temp = tempPathFor(path);
  let handle: AtomicFileHandle | undefined;
  let tempCreated = false;
  try {
    // 'wx': never follow or clobber something already at the temp name.
    handle = await fs.open(temp, 'wx', 0o666);
    tempCreated = true;
    await writeAll(handle, bytes);
    if (fsync) await handle.sync();
    const h = handle;
    handle = undefined;
    await h.close();
    return temp;
  } catch (err) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    if (tempCreated) await fs.unlink(temp).catch(() => undefined);
    throw new OutputError(`cannot write ${path}: ${reasonFor(err)}`, path, { cause: err });
  }
}

const toBytes = (data: string | Uint8Array): Uint8Array => (typeof data === 'string' ? new TextEncoder().encode(data) : data);

/**
 * Write `data` to `path` atomically, creating parent folders.
 * Throws OutputError (with the path and a reason such as "disk full") on any failure,
 * after removing its temp file; the final name then still holds whatever it held before.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: WriteFileAtomicOptions = {},
): Promise<void> {
  const fs: AtomicFs = opts.fs ?? nodeFs;
  const fsync = opts.fsync ?? true;
  const folder = dirname(path);
  await makeFolder(fs, folder, path, opts.fs !== undefined);
  const temp = await writeTemp(fs, path, toBytes(data), fsync);
  try {
    await fs.rename(temp, path);
  } catch (err) {
    await fs.unlink(temp).catch(() => undefined);
    throw new OutputError(`cannot write ${path}: ${reasonFor(err)}`, path, { cause: err });
  }
  if (fsync && opts.fs === undefined) await syncFolder(folder);
}

/**
 * Write several files as one: all of them or none. Every file goes to a temp file first; only when
 * all are written are they renamed into place, and if a rename fails (a name too long, a folder in
 * the way) the ones already renamed are rolled back: new files removed, replaced files restored from
 * a hard link (or copy) made just before. Throws the first failure as an OutputError.
 */
export async function writeFilesAtomic(
  files: ReadonlyArray<{ readonly path: string; readonly data: string | Uint8Array }>,
  opts: WriteFileAtomicOptions = {},
): Promise<void> {
  const fs: AtomicFs = opts.fs ?? nodeFs;
  const fsync = opts.fsync ?? true;
  const folders = [...new Set(files.map((f) => dirname(f.path)))];
  for (const folder of folders) await makeFolder(fs, folder, files.find((f) => dirname(f.path) === folder)!.path, opts.fs !== undefined);
  const written = await Promise.allSettled(files.map((f) => writeTemp(fs, f.path, toBytes(f.data), fsync)));
  const temps = written.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = written.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(temps.map((t) => fs.unlink(t).catch(() => undefined)));
    throw failed.reason;
  }
  const placed: Array<{ path: string; backup: string | undefined }> = [];
  for (let i = 0; i < files.length; i++) {
    const target = files[i]!.path;
    let backup: string | undefined;
    try {
      backup = await keepOld(target);
      await fs.rename(temps[i]!, target);
      placed.push({ path: target, backup });
    } catch (err) {
      if (backup !== undefined) await nodeFs.unlink(backup).catch(() => undefined);
      for (const p of placed.reverse()) {
        if (p.backup !== undefined) await nodeFs.rename(p.backup, p.path).catch(() => undefined);
        else await fs.unlink(p.path).catch(() => undefined);
      }
      await Promise.all(temps.slice(i).map((t) => fs.unlink(t).catch(() => undefined)));
      throw new OutputError(`cannot write ${target}: ${reasonFor(err)}`, target, { cause: err });
    }
  }
  await Promise.all(placed.map((p) => (p.backup !== undefined ? nodeFs.unlink(p.backup).catch(() => undefined) : undefined)));
  if (fsync && opts.fs === undefined) for (const folder of folders) await syncFolder(folder);
}

/** A second name for the file at `target` (a temp name, swept if a crash leaves it), or undefined when there is none. */
async function keepOld(target: string): Promise<string | undefined> {
  try {
    if (!lstatSync(target).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const backup = tempPathFor(target);
  try {
    await nodeFs.link(target, backup);
  } catch {
    // File systems without hard links: a copy does as well, only slower.
    await nodeFs.copyFile(target, backup, nodeFs.constants.COPYFILE_EXCL);
  }
  return backup;
}
