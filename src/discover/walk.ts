/**
 * Find the input files named by the command-line arguments.
 *
 * Folders are walked depth first, one folder read at a time, so the first file is yielded long before
 * a large tree has been read. Entries of a folder are sorted with sub-folders keyed as "name/", which
 * makes the overall order exactly the code-point order of the relative paths.
 */
import { access, lstat, readdir, realpath, stat } from 'node:fs/promises';
import { constants as fsConstants, type Stats } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../types.js';
import { compileGlobs, type GlobMatcher } from './glob.js';
import { errorCode } from '../errors.js';

/** The folder a run keeps its state in (runstate/lock.ts); a folder holding one is a dwibahasa output folder. */
const STATE_DIR = '.dwibahasa';

/** Something found (or not found) while walking that the user should hear about; the walk goes on. */
export interface DiscoverProblem {
  readonly path: string;
  readonly reason: string;
}

/** Something the user should know that is not a failure (a folder left out, a link followed). */
export interface DiscoverNote {
  readonly path: string;
  readonly note: string;
}

export interface DiscoverOptions {
  /** Globs matched against each file's relative path; a file is taken when one matches. */
  readonly include: readonly string[];
  /** Globs for files (and whole folders) to leave out; they win over `include`. */
  readonly exclude: readonly string[];
  /**
   * Folders never entered, by path (the run's own output folder): without this an output folder
   * inside an input folder would be translated as input, one level deeper on every run.
   */
  readonly skip?: readonly string[];
  /** Told of each file found in a folder and left out: not matched by `include`, or matched by `exclude`. */
  readonly onSkipped?: (relPath: string, why: SkipReason) => void;
}

export type SkipReason = 'not-included' | 'excluded';

export const DEFAULT_INCLUDE: readonly string[] = ['**/*.txt', '**/*.md', '**/*.html', '**/*.htm'];

export type DiscoverItem = SourceFile | DiscoverProblem | DiscoverNote;

export function isDiscoverProblem(item: DiscoverItem): item is DiscoverProblem {
  return 'reason' in item;
}

export function isDiscoverNote(item: DiscoverItem): item is DiscoverNote {
  return 'note' in item;
}

const OUTPUT_FOLDER_NOTE = `holds dwibahasa outputs (${STATE_DIR}/); left out, so outputs are never translated again as input`;

/** Compare strings by Unicode code point (JS `<` compares UTF-16 units, which misorders astral characters). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done) return cb.done ? 0 : -1;
    if (cb.done) return 1;
    const d = (ca.value.codePointAt(0) as number) - (cb.value.codePointAt(0) as number);
    if (d !== 0) return d;
  }
}

type Entry =
  | { readonly kind: 'file'; readonly name: string; readonly real: string }
  | { readonly kind: 'dir'; readonly name: string; readonly real: string }
  | { readonly kind: 'problem'; readonly name: string; readonly reason: string };

interface Frame {
  readonly abs: string;
  readonly rel: string;
  readonly real: string;
  readonly entries: readonly Entry[];
  next: number;
}

interface Folder {
  readonly entries: Entry[];
  /** The folder has a `.dwibahasa/` state folder: it is some run's output folder. */
  readonly isOutput: boolean;
}

function describeFsError(err: unknown): string {
  const code = errorCode(err);
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ELOOP':
      return 'symbolic link loop (too many levels of links)';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

function isInside(real: string, rootReal: string): boolean {
  if (real === rootReal) return true;
  const prefix = rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep;
  return real.startsWith(prefix);
}

function sortKey(e: Entry): string {
  return e.kind === 'dir' ? `${e.name}/` : e.name;
}

/**
 * Read one folder into sorted entries. Symbolic links are resolved here, since whether a link is
 * a folder decides its place in the order.
 */
async function readFolder(abs: string, real: string, rootReal: string): Promise<Folder> {
  const dirents = await readdir(abs, { withFileTypes: true });
  const entries: Entry[] = [];
  let isOutput = false;
  for (const d of dirents) {
    if (d.name === STATE_DIR && d.isDirectory()) isOutput = true;
    if (d.name.startsWith('.')) continue;
    if (d.isFile()) {
      // The real path of a plain entry follows from its folder's; no system call needed.
      entries.push({ kind: 'file', name: d.name, real: path.join(real, d.name) });
    } else if (d.isDirectory()) {
      entries.push({ kind: 'dir', name: d.name, real: path.join(real, d.name) });
    } else if (d.isSymbolicLink()) {
      entries.push(await resolveLink(path.join(abs, d.name), d.name, rootReal));
    }
    // Sockets, FIFOs and devices are never articles; reading a FIFO would hang the run.
  }
  entries.sort((a, b) => compareCodePoints(sortKey(a), sortKey(b)));
  return { entries, isOutput };
}

async function resolveLink(abs: string, name: string, rootReal: string): Promise<Entry> {
  let real: string;
  let st: Stats;
  try {
    real = await realpath(abs);
    st = await stat(real);
  } catch (err) {
    const code = errorCode(err);
    const reason =
      code === 'ENOENT'
        ? 'broken symbolic link (its target does not exist)'
        : code === 'ELOOP'
          ? 'symbolic link loop (too many levels of links)'
          : `cannot follow symbolic link: ${describeFsError(err)}`;
    return { kind: 'problem', name, reason };
  }
  if (!isInside(real, rootReal)) {
    return {
      kind: 'problem',
      name,
      reason: `symbolic link leads outside the input folder (to ${real}); not followed`,
    };
  }
  if (st.isDirectory()) return { kind: 'dir', name, real };
  if (st.isFile()) return { kind: 'file', name, real };
  return { kind: 'problem', name, reason: 'symbolic link to something that is neither a file nor a folder' };
}

async function* walkFolder(
  root: string,
  rootAbs: string,
  rootReal: string,
  include: GlobMatcher,
  exclude: GlobMatcher,
  seenFiles: Set<string>,
  skip: ReadonlySet<string>,
  onSkipped: DiscoverOptions['onSkipped'],
): AsyncGenerator<DiscoverItem> {
  // Every folder entered under this argument, by real path: a link to one of them is never walked again,
  // which both breaks loops and keeps a file from being found twice through two routes.
  const visited = new Set<string>([rootReal]);
  const stack: Frame[] = [];
  if (skip.has(rootReal)) return;
  try {
    const folder = await readFolder(rootAbs, rootReal, rootReal);
    if (folder.isOutput) {
      yield { path: root, note: OUTPUT_FOLDER_NOTE };
      return;
    }
    stack.push({ abs: rootAbs, rel: '', real: rootReal, entries: folder.entries, next: 0 });
  } catch (err) {
    yield { path: root, reason: `cannot read folder: ${describeFsError(err)}` };
    return;
  }
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const entry = frame.entries[frame.next++];
    if (entry === undefined) {
      stack.pop();
      continue;
    }
    const rel = frame.rel === '' ? entry.name : `${frame.rel}/${entry.name}`;
    const abs = path.join(frame.abs, entry.name);
    if (entry.kind === 'problem') {
      if (!exclude(rel)) yield { path: abs, reason: entry.reason };
    } else if (entry.kind === 'file') {
      if (!include(rel) || exclude(rel)) {
        onSkipped?.(rel, include(rel) ? 'excluded' : 'not-included');
        continue;
      }
      if (seenFiles.has(entry.real)) continue;
      seenFiles.add(entry.real);
      yield { absPath: abs, relPath: rel, root };
    } else {
      if (exclude(rel) || exclude(`${rel}/`) || skip.has(entry.real)) continue;
      if (visited.has(entry.real)) {
        if (stack.some((f) => f.real === entry.real)) {
          yield { path: abs, reason: `symbolic link loop: leads back to its own parent folder ${entry.real}; not followed` };
        }
        continue;
      }
      visited.add(entry.real);
      try {
        const folder = await readFolder(abs, entry.real, rootReal);
        if (folder.isOutput) yield { path: abs, note: OUTPUT_FOLDER_NOTE };
        else stack.push({ abs, rel, real: entry.real, entries: folder.entries, next: 0 });
      } catch (err) {
        yield { path: abs, reason: `cannot read folder: ${describeFsError(err)}` };
      }
    }
  }
}

/**
 * Yield the input files of `args` in a stable order, with problems (missing arguments, broken links,
 * unreadable folders) and notes interleaved where they were met. A file argument is taken whatever the
 * globs say; files found in folders must match `include` and not `exclude`. Hidden names (".x"), the
 * `skip` folders and folders holding dwibahasa outputs are left out. The same real file is yielded
 * once, even when two arguments or a link lead to it.
 *
 * A symbolic link named as an argument is said to be one, with where it leads: it is followed to a
 * folder, or to a regular file the user can read; anything else it leads to is refused.
 */
export async function* discover(args: readonly string[], opts: DiscoverOptions): AsyncGenerator<DiscoverItem> {
  const include = compileGlobs(opts.include.length > 0 ? opts.include : DEFAULT_INCLUDE);
  const exclude = compileGlobs(opts.exclude);
  const seenFiles = new Set<string>();
  const skip = new Set<string>();
  for (const s of opts.skip ?? []) skip.add(await realpath(s).catch(() => path.resolve(s)));
  for (const arg of args) {
    const abs = path.resolve(arg);
    let st: Stats;
    try {
      st = await stat(abs);
    } catch (err) {
      let reason = describeFsError(err);
      if (errorCode(err) === 'ENOENT') {
        const isLink = await lstat(abs).then(
          (l) => l.isSymbolicLink(),
          () => false,
        );
        if (isLink) reason = 'broken symbolic link (its target does not exist)';
      }
      yield { path: arg, reason };
      continue;
    }
    let real: string;
    try {
      real = await realpath(abs);
    } catch (err) {
      yield { path: arg, reason: describeFsError(err) };
      continue;
    }
    const isLink = await lstat(abs).then(
      (l) => l.isSymbolicLink(),
      () => false,
    );
    if (isLink) {
      const problem = await linkArgumentProblem(real, st);
      if (problem !== undefined) {
        yield { path: arg, reason: problem };
        continue;
      }
      yield { path: arg, note: `is a symbolic link to ${real}; translating the ${st.isDirectory() ? 'folder' : 'file'} it leads to` };
    }
    if (st.isDirectory()) {
      yield* walkFolder(arg, abs, real, include, exclude, seenFiles, skip, opts.onSkipped);
    } else if (st.isFile()) {
      if (seenFiles.has(real)) continue;
      seenFiles.add(real);
      yield { absPath: abs, relPath: path.basename(abs), root: arg };
    } else {
      yield { path: arg, reason: 'not a regular file or folder' };
    }
  }
}

/** Why a link named on the command line is not followed, or undefined when it may be. */
async function linkArgumentProblem(real: string, st: Stats): Promise<string | undefined> {
  if (st.isDirectory()) return undefined;
  if (!st.isFile()) return `symbolic link to ${real}, which is neither a regular file nor a folder; not followed`;
  try {
    await access(real, fsConstants.R_OK);
    return undefined;
  } catch (err) {
    return `symbolic link to ${real}, which cannot be read (${describeFsError(err)}); not followed`;
  }
}
