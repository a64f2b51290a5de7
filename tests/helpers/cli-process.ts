/** A CLI process that a test watches and may kill mid-run (runCli waits for the end instead). */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT } from '../cli/cli-helpers.js';

export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves when the output matches `re`; rejects after `timeoutMs` or when the process ends first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kill every process still running (afterEach/afterAll): a failed test leaves none behind. */
export function killAll(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
      for (const l of listeners) l();
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (re.test(out)) done(resolve);
          else if (ended || child.exitCode !== null) done(() => reject(new Error(`process ended before ${re}; output:\n${out}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${re}; output:\n${out}`))), timeoutMs);
        const done = (f: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          f();
        };
        listeners.add(check);
        check();
      });
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
