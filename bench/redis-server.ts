/**
 * A redis-server of its own, on a free 127.0.0.1 port, without persistence: for the queue
 * benchmark and the tests (tests/helpers/redis-server.ts), which stop it after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const REDIS_SERVER = process.env['REDIS_SERVER'] ?? 'redis-server';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  readonly port: number;
  /** redis://[:password@]127.0.0.1:PORT */
  readonly url: string;
  /** Stop it (SIGKILL: as if the machine went away); its data is lost. */
  stop(): Promise<void>;
  /** Start it again on the same port, empty. */
  start(): Promise<void>;
}

export async function startRedis(opts: { password?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
      if (opts.password !== undefined) args.push('--requirepass', opts.password);
      const c = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}:\n${out}`)), 10_000);
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with code ${code}:\n${out}`));
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      c.removeAllListeners('exit');
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  await start();
  const auth = opts.password !== undefined ? `:${encodeURIComponent(opts.password)}@` : '';
  return { port, url: `redis://${auth}127.0.0.1:${port}`, stop, start };
}
