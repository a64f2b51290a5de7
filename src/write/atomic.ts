/**
 * Atomic file writes: readers (and a crash) see either the old file or the complete new one,
 * never a half-written output. The data goes to a temp file in the same folder (so the final
 * rename stays on one file system and is atomic), is fsynced, then renamed over the final name.
 */
import { randomBytes } from 'node:crypto';
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

const TEMP_RE = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;

/** True for names this module gives its temp files: lets a caller sweep leftovers of a killed run. */
export function isAtomicTempName(name: string): boolean {
  return TEMP_RE.test(name);
}

function tempPathFor(path: string): string {
  // Cap the base so `.<base>.<pid>.<rand>.tmp` stays under the usual 255-byte name limit.
  const base = basename(path).slice(0, 180);
  return join(dirname(path), `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** A reason a user can act on, from a node error code. */
function reasonFor(err: unknown): string {
  const code = errorCode(err);
  switch (code) {
    case 'ENOSPC':
      return 'disk full (ENOSPC): free some space and run again';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT): free some space and run again';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
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
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const folder = dirname(path);

  try {
    await fs.mkdir(folder, { recursive: true });
  } catch (err) {
    throw new OutputError(`cannot create output folder ${folder}: ${reasonFor(err)}`, path, { cause: err });
  }

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
    await fs.rename(temp, path);
    tempCreated = false;
  } catch (err) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    if (tempCreated) await fs.unlink(temp).catch(() => undefined);
    throw new OutputError(`cannot write ${path}: ${reasonFor(err)}`, path, { cause: err });
  }
  if (fsync && opts.fs === undefined) await syncFolder(folder);
}
