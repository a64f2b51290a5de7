/**
 * `npm run bench -- --queue`: the cost of the queue path and what a second worker brings, on this
 * machine. Three columns, each with one engine worker per process (1 ONNX Runtime thread):
 *   local      dwibahasa translate --concurrency 1 (no queue)
 *   queue 1    a redis-server of its own, one `dwibahasa worker --concurrency 1`, and the
 *              coordinator `translate --queue URL` (which runs no model)
 *   queue 2    the same with two worker processes
 * Workers load their model before the coordinator starts; like the local run's, the figures are
 * pipeline time (model load excluded). Redis is emptied before each run (no shared-memory hits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startRedis } from './redis-server.js';
import { BenchError, runDwibahasa, type DwibahasaRun, type SideContext } from './sides.js';

export interface QueueBenchRuns {
  readonly local: DwibahasaRun[];
  readonly queue1: DwibahasaRun[];
  readonly queue2: DwibahasaRun[];
}

/** A worker with the coordinator's model and decoding settings (else it would refuse the run). */
function startWorker(ctx: SideContext, url: string, beams: number | undefined, sets: readonly string[]): Promise<ChildProcess> {
  const args = [
    path.join(ctx.repoRoot, 'bin', 'dwibahasa.js'), 'worker', '--queue', url, '--model', ctx.modelDir, '--concurrency', '1',
    ...(beams === undefined ? [] : ['--beams', String(beams)]),
    ...sets.flatMap((s) => ['--set', s]),
  ];
  const child = spawn(process.execPath, args, { cwd: ctx.cacheDir, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-4000);
      if (err.includes('waiting for batches')) resolve(child);
    });
    child.once('exit', (code) => reject(new BenchError(`dwibahasa worker exited with code ${code} before it was ready:\n${err}`, 'dwibahasa')));
  });
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map((w) => new Promise<void>((resolve) => {
      if (w.exitCode !== null) return resolve();
      w.once('exit', () => resolve());
      w.kill('SIGTERM');
    })),
  );
}

export async function runQueueBench(ctx: SideContext, runs: number, beams: number | undefined, sets: readonly string[], log: (l: string) => void): Promise<QueueBenchRuns> {
  const redis = await startRedis();
  const client = new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null });
  const out: QueueBenchRuns = { local: [], queue1: [], queue2: [] };
  try {
    for (let i = 0; i < runs; i++) {
      const local = await runDwibahasa(ctx, beams, sets, ['--concurrency', '1']);
      log(`local, 1 engine worker, run ${i + 1}/${runs}: ${(local.elapsed_ms / 1000).toFixed(2)} s`);
      out.local.push(local);
      for (const n of [1, 2] as const) {
        await client.flushall();
        const workers: ChildProcess[] = [];
        try {
          for (const w of await Promise.all(Array.from({ length: n }, () => startWorker(ctx, redis.url, beams, sets)))) workers.push(w);
          const r = await runDwibahasa(ctx, beams, sets, ['--queue', redis.url]);
          log(`queue, ${n} worker process${n > 1 ? 'es' : ''}, run ${i + 1}/${runs}: ${(r.elapsed_ms / 1000).toFixed(2)} s`);
          (n === 1 ? out.queue1 : out.queue2).push(r);
        } finally {
          await stopWorkers(workers);
        }
      }
    }
  } finally {
    client.disconnect();
    await redis.stop();
  }
  return out;
}
