/** Running one benchmark side as a child process: wall time, exit code, output kept for errors. */
import { spawn } from 'node:child_process';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** The last few KB of stderr, for error messages. */
  readonly stderrTail: string;
  /** From spawn to exit, including Node start-up and model load. */
  readonly wallMs: number;
}

const TAIL = 4000;

export function runChild(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-TAIL);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderrTail: stderr, wallMs: performance.now() - started }));
  });
}

/** Error text for a child that failed: what ran, how it ended, and the end of its stderr. */
export function describeFailure(what: string, r: ChildResult): string {
  const how = r.signal !== null ? `was killed by ${r.signal}` : `exited with code ${r.code}`;
  return `${what} ${how}. Last output:\n${r.stderrTail.trim() || '(none)'}`;
}
