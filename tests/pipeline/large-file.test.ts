/**
 * Issue 9, point 7: one very large text file must not take memory in proportion to its size. A
 * file is held whole while it is translated, so files over input.max_file_mb are refused, before
 * they are read, with a clear limit and advice; the other files of the run go on.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { FakeEngine } from '../helpers/fake-engine.js';

const MB = 1024 * 1024;

/** Ordinary paragraphs, about `mb` megabytes of them. */
function bigArticle(mb: number): string {
  const para = 'Pemerintah daerah membuka posko pengungsian di sekolah dan masjid pada hari Senin.\n\n';
  return para.repeat(Math.ceil((mb * MB) / para.length));
}

/** Growth of this process's peak resident memory while `f` runs, in MB. */
async function peakGrowthMb(f: () => Promise<unknown>): Promise<number> {
  const before = process.resourceUsage().maxRSS;
  await f();
  return (process.resourceUsage().maxRSS - before) / 1024;
}

describe('a text file over input.max_file_mb', () => {
  it('is refused before it is read, whatever its size, and the run goes on', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-big-in-'));
    const out = mkdtempSync(join(tmpdir(), 'dwb-big-out-'));
    writeFileSync(join(input, 'kecil.txt'), 'Judul\n\nIni kalimat yang baik.\n');
    const config = defaultConfig();
    config.guards.enabled = false;
    config.input.max_file_mb = 1;
    // A first run loads whatever the pipeline loads lazily, so the measured runs see only the file's cost.
    await runPipeline({ inputs: [join(input, 'kecil.txt')], outDir: out, config, engine: new FakeEngine(), formats: ['txt'] });
    const growth: number[] = [];
    for (const mb of [16, 64]) {
      writeFileSync(join(input, `buku-${mb}.txt`), bigArticle(mb));
      const engine = new FakeEngine();
      let summary: Awaited<ReturnType<typeof runPipeline>> | undefined;
      growth.push(await peakGrowthMb(async () => {
        summary = await runPipeline({ inputs: [join(input, `buku-${mb}.txt`)], outDir: out, config, engine, formats: ['txt', 'json'] });
      }));
      const f = summary!.files[0]!;
      expect(f.status).toBe('failed');
      expect(f.failures[0]).toContain(join(input, `buku-${mb}.txt`));
      expect(f.failures[0]).toMatch(new RegExp(`${mb}\\.0 MB is over the limit of 1 MB \\(input\\.max_file_mb\\)`));
      expect(f.failures[0]).toMatch(/split it into smaller files/);
      expect(engine.calls).toBe(0);
    }
    // Four times the file, no more memory: neither run grew the peak by anything like the file's size
    // (reading the 64 MB file alone would add its bytes and its decoded text, well over 100 MB).
    for (const g of growth) expect(g).toBeLessThan(32);
    const summary = await runPipeline({ inputs: [input], outDir: out, config, engine: new FakeEngine(), formats: ['txt'] });
    expect(summary.files.map((f) => [f.input.split('/').pop(), f.status])).toEqual([
      ['buku-16.txt', 'failed'],
      ['buku-64.txt', 'failed'],
      ['kecil.txt', 'done'],
    ]);
    expect(readdirSync(out).filter((n) => !n.startsWith('.'))).toEqual(['kecil.en.txt']);
  });
});
