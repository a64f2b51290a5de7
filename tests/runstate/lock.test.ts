import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStateError } from '../../src/errors.js';
import { acquireLock, isPidAlive, type Lock } from '../../src/runstate/lock.js';

let tmp: string;
let out: string;
const held: Lock[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dwb-lock-'));
  out = path.join(tmp, 'out');
});
afterEach(async () => {
  for (const l of held.splice(0)) await l.release();
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

const lockFile = (): string => path.join(out, '.dwibahasa', 'lock');

async function acquire(opts?: Parameters<typeof acquireLock>[1]): Promise<Lock> {
  const l = await acquireLock(out, opts);
  held.push(l);
  return l;
}

function writeForeignLock(pid: number, host = hostname(), startedAt = '2024-01-02T03:04:05.000Z'): void {
  mkdirSync(path.dirname(lockFile()), { recursive: true });
  writeFileSync(lockFile(), JSON.stringify({ pid, hostname: host, startedAt, token: 'theirs' }));
}

function ageLockFile(ms: number): void {
  const t = new Date(Date.now() - ms);
  utimesSync(lockFile(), t, t);
}

/** A child that stays alive until killed. */
function sleeper(): ChildProcess {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(c);
  return c;
}

function exited(c: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve({ code: c.exitCode, signal: c.signalCode });
    else c.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** Field `n` (1-based, as in proc(5)) of /proc/PID/stat, read here independently of the code under test. */
function procField(pid: number, n: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[n - 3];
  } catch {
    return undefined;
  }
}

/**
 * A zombie: `sleep 0.5` runs in the background of a shell that then becomes `sleep 600`, which never
 * reaps it, as in a container whose pid 1 does not wait() for orphans. The child outlives the exec:
 * one that ended first could be reaped by the shell itself (seen once in CI). Returns its pid once it is 'Z'.
 */
async function zombie(): Promise<number> {
  const parent = spawn('sh', ['-c', 'sleep 0.5 & echo $!; exec sleep 600'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(parent);
  const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  for (let i = 0; i < 500 && procField(pid, 3) !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
  expect(procField(pid, 3)).toBe('Z');
  return pid;
}

describe('acquireLock', () => {
  it('writes pid, hostname and start time, and release removes it', async () => {
    const l = await acquire();
    const content = JSON.parse(readFileSync(lockFile(), 'utf8')) as Record<string, unknown>;
    expect(content).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(Number.isNaN(Date.parse(String(content.startedAt)))).toBe(false);
    await l.release();
    expect(existsSync(lockFile())).toBe(false);
    await l.release(); // twice is harmless
    const again = await acquire();
    expect(again.info.token).not.toBe(l.info.token);
  });

  it('refuses a second acquire in the same process while held', async () => {
    const l = await acquire();
    const err = await rejection(acquireLock(out));
    expect(err).toBeInstanceOf(RunStateError);
    expect(err.message).toContain(`another dwibahasa run (pid ${process.pid}, started ${l.info.startedAt}) is using ${out}`);
    expect(err.message).toContain('wait for it or stop it');
  });

  it('refuses while a live process on this host holds it', async () => {
    const c = sleeper();
    writeForeignLock(c.pid as number);
    const err = await rejection(acquireLock(out));
    expect(err).toBeInstanceOf(RunStateError);
    expect(err.message).toContain(`pid ${c.pid}, started 2024-01-02T03:04:05.000Z`);
    expect((err as RunStateError).path).toBe(lockFile());
    // The other run's lock is left alone.
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: c.pid, token: 'theirs' });
  });

  it('takes over the lock of a process that has exited', async () => {
    const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    const pid = c.pid as number;
    await exited(c);
    expect(isPidAlive(pid)).toBe(false);
    writeForeignLock(pid);
    const l = await acquire();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid, token: l.info.token });
  });

  it.runIf(existsSync('/proc/self/stat'))('takes over the lock of a zombie (exited, not reaped: kill(pid, 0) still succeeds)', async () => {
    const pid = await zombie();
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(isPidAlive(pid)).toBe(false);
    writeForeignLock(pid);
    const l = await acquire();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid, token: l.info.token });
  });

  it.runIf(existsSync('/proc/self/stat'))('records its process start time, and takes over a live pid whose start time differs (reused pid)', async () => {
    const l = await acquire();
    expect(l.info.procStart).toBe(procField(process.pid, 22));
    await l.release();

    const c = sleeper();
    const pid = c.pid as number;
    for (let i = 0; i < 500 && procField(pid, 22) === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    mkdirSync(path.dirname(lockFile()), { recursive: true });
    const foreign = { pid, hostname: hostname(), startedAt: '2024-01-02T03:04:05.000Z', token: 'theirs' };
    writeFileSync(lockFile(), JSON.stringify({ ...foreign, procStart: procField(pid, 22) }));
    await expect(acquireLock(out)).rejects.toThrow(`pid ${pid}`);
    writeFileSync(lockFile(), JSON.stringify({ ...foreign, procStart: '1' }));
    const taken = await acquire();
    expect(taken.info.pid).toBe(process.pid);
  });

  it('takes over a lock older than the stale age even if its pid is alive (reused pid, no heartbeat)', async () => {
    const c = sleeper();
    writeForeignLock(c.pid as number);
    ageLockFile(120_000);
    await expect(acquireLock(out, { staleMs: 300_000 })).rejects.toThrow(RunStateError);
    const l = await acquire({ staleMs: 60_000 });
    expect(l.info.pid).toBe(process.pid);
  });

  it('respects a fresh lock from another host, takes it over once stale', async () => {
    writeForeignLock(4242, 'some-other-host');
    const err = await rejection(acquireLock(out));
    expect(err.message).toContain('pid 4242 on host some-other-host');
    ageLockFile(20 * 60_000);
    await acquire();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ hostname: hostname(), pid: process.pid });
  });

  it('takes over an unreadable lock file once it is past the short grace period', async () => {
    mkdirSync(path.dirname(lockFile()), { recursive: true });
    writeFileSync(lockFile(), '');
    ageLockFile(10_000);
    await acquire();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('takes over a lock with its own pid that this process does not hold (restarted container)', async () => {
    writeForeignLock(process.pid);
    const l = await acquire();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ token: l.info.token });
  });

  it('does not remove a lock that another run has taken over since', async () => {
    const l = await acquire();
    writeForeignLock(999_999, 'elsewhere');
    await l.release();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ hostname: 'elsewhere' });
  });

  it('heartbeat keeps the lock file fresh', async () => {
    await acquire({ staleMs: 300, heartbeatMs: 20 });
    ageLockFile(60_000);
    const age = (): number => Date.now() - statSync(lockFile()).mtimeMs;
    // Poll rather than sleep a fixed time: a busy machine may delay timers.
    for (let i = 0; i < 200 && age() >= 60_000; i++) await new Promise((r) => setTimeout(r, 25));
    expect(age()).toBeLessThan(60_000);
  });
});

describe('lock release when the process ends', () => {
  let libDir: string;

  beforeEach(() => {
    // Child processes cannot load TypeScript: transpile the modules they need.
    libDir = path.join(tmp, 'lib');
    for (const [src, dst] of [
      ['src/runstate/lock.ts', 'runstate/lock.js'],
      ['src/write/atomic.ts', 'write/atomic.js'],
      ['src/errors.ts', 'errors.js'],
    ] as const) {
      const js = ts.transpileModule(readFileSync(src, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      mkdirSync(path.dirname(path.join(libDir, dst)), { recursive: true });
      writeFileSync(path.join(libDir, dst), js);
    }
    writeFileSync(path.join(libDir, 'package.json'), '{"type":"module"}');
  });

  function child(body: string): ChildProcess {
    const script = `
      import { acquireLock } from ${JSON.stringify(path.join(libDir, 'runstate', 'lock.js'))};
      const lock = await acquireLock(${JSON.stringify(out)});
      ${body}
    `;
    const c = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(c);
    return c;
  }

  function ready(c: ChildProcess): Promise<void> {
    return new Promise((resolve) => c.stdout?.once('data', () => resolve()));
  }

  it('removes the lock on normal exit without release()', async () => {
    const c = child(`console.log('held'); setTimeout(() => process.exit(3), 50);`);
    await ready(c);
    expect(existsSync(lockFile())).toBe(true);
    expect((await exited(c)).code).toBe(3);
    expect(existsSync(lockFile())).toBe(false);
  });

  it('removes the lock on SIGTERM and still dies by the signal', async () => {
    const c = child(`console.log('held'); setInterval(() => {}, 1000);`);
    await ready(c);
    expect(existsSync(lockFile())).toBe(true);
    c.kill('SIGTERM');
    expect((await exited(c)).signal).toBe('SIGTERM');
    expect(existsSync(lockFile())).toBe(false);
  });

  it('leaves stopping to the program when it handles SIGINT itself, releasing on exit', async () => {
    const c = child(`
      process.on('SIGINT', () => { console.log('stopping'); setTimeout(() => process.exit(130), 100); });
      console.log('held'); setInterval(() => {}, 1000);`);
    await ready(c);
    const stopping = new Promise<void>((resolve) => c.stdout?.once('data', () => resolve()));
    c.kill('SIGINT');
    await stopping;
    // Still finishing its batch: the lock must stay until it exits.
    expect(existsSync(lockFile())).toBe(true);
    expect((await exited(c)).code).toBe(130);
    expect(existsSync(lockFile())).toBe(false);
  });
});
