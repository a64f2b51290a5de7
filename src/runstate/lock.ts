/**
 * One run per output folder: `OUT/.dwibahasa/lock`, created atomically (O_EXCL).
 *
 * A lock left by a crashed run is taken over when its process is gone (same host), or when its
 * file has not been touched by the holder's heartbeat for longer than the stale age (another host).
 * "Gone" includes a zombie (exited, not yet reaped: containers without an init process leave them
 * behind, and kill(pid, 0) still succeeds on one) and a pid now used by a later process (told apart
 * by the process start time recorded in the lock).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, unlinkSync, utimesSync } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RunStateError, errorCode } from '../errors.js';
import { explainMkdirError, reasonFor } from '../write/atomic.js';

export const STATE_DIR = '.dwibahasa';
export const LOCK_FILE = 'lock';

export interface LockInfo {
  readonly pid: number;
  readonly hostname: string;
  /** ISO time the run started. */
  readonly startedAt: string;
  /** Tells this lock apart from a later one by the same pid. */
  readonly token: string;
  /** The holder's start time (field 22 of /proc/PID/stat, clock ticks since boot), where /proc exists. */
  readonly procStart?: string;
}

export interface Lock {
  readonly path: string;
  readonly info: LockInfo;
  /** Remove the lock (only if it is still ours) and the exit/signal handlers. Safe to call twice. */
  release(): Promise<void>;
}

export interface LockOptions {
  /** A lock whose file is older than this (no heartbeat) is stale, whatever its pid. Default 10 minutes. */
  readonly staleMs?: number;
  /** How often the holder touches the lock file. Default 30 s, and always under a third of `staleMs`. */
  readonly heartbeatMs?: number;
  /** Release on SIGINT/SIGTERM/SIGHUP when nothing else handles them. Default true. */
  readonly handleSignals?: boolean;
}

const DEFAULT_STALE_MS = 10 * 60_000;
const DEFAULT_HEARTBEAT_MS = 30_000;
/** A lock file without readable content younger than this is probably being written right now. */
const UNREADABLE_GRACE_MS = 2_000;
const MAX_ATTEMPTS = 8;

/** Tokens of the locks this process holds, to tell "this very run" from "a previous run with my pid". */
const heldTokens = new Set<string>();

function parseInfo(text: string): LockInfo | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return undefined;
    const o = v as Record<string, unknown>;
    if (typeof o.pid !== 'number' || typeof o.hostname !== 'string' || typeof o.startedAt !== 'string') return undefined;
    return {
      pid: o.pid,
      hostname: o.hostname,
      startedAt: o.startedAt,
      token: typeof o.token === 'string' ? o.token : '',
      ...(typeof o.procStart === 'string' ? { procStart: o.procStart } : {}),
    };
  } catch {
    return undefined;
  }
}

interface ProcState {
  /** R, S, D, T, Z (zombie), X (dead)… */
  readonly state: string;
  readonly startTime: string;
}

/**
 * State and start time of `pid` from /proc/PID/stat: null when the process does not exist,
 * undefined when this system has no /proc (then only kill(pid, 0) can tell).
 */
function procState(pid: number): ProcState | null | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ESRCH') return existsSync('/proc/self/stat') ? null : undefined;
    return undefined;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields count from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state === undefined || startTime === undefined ? undefined : { state, startTime };
}

/**
 * Whether `pid` is a running process (a zombie is not). With `procStart`, also whether it is still
 * the process that recorded that start time rather than a later one given the same pid.
 */
export function isPidAlive(pid: number, procStart?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const proc = procState(pid);
  if (proc === null) return false;
  if (proc !== undefined) {
    if (proc.state === 'Z' || proc.state === 'X') return false;
    return procStart === undefined || proc.startTime === procStart;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(err) !== 'ESRCH';
  }
}

interface Existing {
  readonly text: string;
  readonly info: LockInfo | undefined;
  readonly ageMs: number;
}

async function readExisting(file: string): Promise<Existing | undefined> {
  try {
    const [text, st] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { text, info: parseInfo(text), ageMs: Date.now() - st.mtimeMs };
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

type Verdict = 'held' | 'stale' | 'wait';

function judge(e: Existing, staleMs: number): Verdict {
  if (e.info === undefined) return e.ageMs > UNREADABLE_GRACE_MS ? 'stale' : 'wait';
  if (e.ageMs > staleMs) return 'stale';
  if (e.info.hostname !== os.hostname()) return 'held';
  if (e.info.pid === process.pid) return heldTokens.has(e.info.token) ? 'held' : 'stale';
  return isPidAlive(e.info.pid, e.info.procStart) ? 'held' : 'stale';
}

function heldMessage(outDir: string, file: string, info: LockInfo | undefined): string {
  const who =
    info === undefined
      ? 'another dwibahasa run (starting up)'
      : info.hostname === os.hostname()
        ? `another dwibahasa run (pid ${info.pid}, started ${info.startedAt})`
        : `another dwibahasa run (pid ${info.pid} on host ${info.hostname}, started ${info.startedAt})`;
  return `${who} is using ${outDir}; wait for it or stop it (if you are sure no run is active, delete ${file})`;
}

/**
 * Move a stale lock out of the way. Renaming is atomic, so of two runs taking over the same stale lock
 * only one moves it; the other finds a different lock behind the rename and puts it back.
 */
async function takeOver(file: string, stale: Existing): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw err;
  }
  const moved = await readFile(aside, 'utf8').catch(() => stale.text);
  if (moved !== stale.text) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone created a newer lock meanwhile; theirs stands.
    }
  }
  await unlink(aside).catch(() => undefined);
}

/**
 * Create the lock file (O_EXCL) with its content. If writing fails after the file was created (disk
 * full), the file is removed: an empty lock would stop the next runs until it grew stale.
 */
async function createLockFile(file: string, content: string): Promise<void> {
  const fh = await open(file, 'wx');
  try {
    await fh.writeFile(content, 'utf8');
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw err;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function acquireLock(outDir: string, opts: LockOptions = {}): Promise<Lock> {
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const heartbeatMs = Math.max(1, Math.min(opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, Math.floor(staleMs / 3)));
  const dir = path.join(outDir, STATE_DIR);
  const file = path.join(dir, LOCK_FILE);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    const cause = explainMkdirError(err, dir);
    throw new RunStateError(`cannot create ${dir}: ${reasonFor(cause)}`, dir, { cause });
  }
  let info: LockInfo = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const own = procState(process.pid);
  if (own) info = { ...info, procStart: own.startTime };
  let last: Existing | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      await createLockFile(file, `${JSON.stringify(info)}\n`);
      return makeLock(file, info, heartbeatMs, opts.handleSignals ?? true);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') {
        throw new RunStateError(`cannot create lock ${file}: ${reasonFor(err)}`, file, { cause: err });
      }
    }
    last = await readExisting(file);
    if (last === undefined) continue;
    const verdict = judge(last, staleMs);
    if (verdict === 'held') throw new RunStateError(heldMessage(outDir, file, last.info), file);
    if (verdict === 'wait') await sleep(250);
    else await takeOver(file, last);
  }
  throw new RunStateError(heldMessage(outDir, file, last?.info), file);
}

function makeLock(file: string, info: LockInfo, heartbeatMs: number, handleSignals: boolean): Lock {
  heldTokens.add(info.token);
  let released = false;

  const stillOurs = (): boolean => {
    try {
      return parseInfo(readFileSync(file, 'utf8'))?.token === info.token;
    } catch {
      return false;
    }
  };

  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      // The file is gone or unwritable; release() will find out, nothing to do here.
    }
  }, heartbeatMs);
  heartbeat.unref();

  const signals: NodeJS.Signals[] = handleSignals ? ['SIGINT', 'SIGTERM', 'SIGHUP'] : [];
  const onSignal = (sig: NodeJS.Signals): void => {
    // When the CLI handles the signal too, it decides when to stop (finishing a batch, saving the
    // manifest); the lock then goes on 'exit'. Alone, release now and die as the signal means to.
    if (process.listenerCount(sig) > 1) return;
    releaseSync();
    process.kill(process.pid, sig);
  };
  const onExit = (): void => releaseSync();

  function releaseSync(): void {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    process.removeListener('exit', onExit);
    for (const s of signals) process.removeListener(s, onSignal);
    heldTokens.delete(info.token);
    if (stillOurs()) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    }
  }

  process.on('exit', onExit);
  for (const s of signals) process.on(s, onSignal);

  return {
    path: file,
    info,
    release: async () => releaseSync(),
  };
}
