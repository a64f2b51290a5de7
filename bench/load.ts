/**
 * `npm run bench:load`: load time and memory of the full-size generated model, fp32 and q8.
 * Each load runs in a fresh child process (so its peak RSS is its own), three times; medians reported.
 *
 *   npm run -s bench:load [-- --runs R]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MarianEngine } from '../src/translate/marian-engine.js';
import { DEFAULT_DECODING } from '../src/translate/model-config.js';
import type { Dtype } from '../src/types.js';
import { ensureModel } from './model.js';
import { median, round } from './stats.js';

interface LoadResult {
  readonly loadMs: number;
  readonly firstCallMs: number;
  readonly rssAfterLoadMb: number;
  readonly peakRssMb: number;
}

async function child(dir: string, dtype: Dtype): Promise<void> {
  const t0 = performance.now();
  const engine = await MarianEngine.load({ dir, id: 'bench', modelsRoot: path.dirname(dir), dtype, threads: 1, decoding: { ...DEFAULT_DECODING, beams: 1 } });
  const loadMs = performance.now() - t0;
  const rssAfterLoadMb = process.memoryUsage().rss / 2 ** 20;
  const t1 = performance.now();
  await engine.translate(['Pemerintah Indonesia akan membangun jalan baru di Jawa Barat.']);
  const firstCallMs = performance.now() - t1;
  const result: LoadResult = { loadMs, firstCallMs, rssAfterLoadMb, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result) + '\n');
  await engine.dispose();
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') return child(argv[1]!, argv[2] as Dtype);
  const runs = argv[0] === '--runs' ? Number(argv[1]) : 3;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const model = await ensureModel(path.join(root, 'bench/.cache'), (l) => process.stderr.write(l + '\n'));
  const lines: string[] = ['dtype  load ms  first call ms  RSS after load MB  peak RSS MB'];
  for (const dtype of ['q8', 'fp32'] as const) {
    const results: LoadResult[] = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', model.dir, dtype], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`load of ${dtype} failed: ${r.stderr}`);
      results.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as LoadResult);
    }
    const m = (k: keyof LoadResult) => round(median(results.map((x) => x[k])), 0);
    lines.push(`${dtype.padEnd(6)} ${String(m('loadMs')).padStart(7)}  ${String(m('firstCallMs')).padStart(13)}  ${String(m('rssAfterLoadMb')).padStart(17)}  ${String(m('peakRssMb')).padStart(11)}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench:load: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
