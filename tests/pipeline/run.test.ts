import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { FakeEngine, reverseWords } from '../helpers/fake-engine.js';

interface JsonOut {
  source: { path: string };
  blocks: Array<{ kind: string; marker?: string; source: string; target: string; trailer?: string; segments: Array<{ source: string; target: string; error?: string }> }>;
}

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function config(over: (c: Config) => void = () => {}): Config {
  const c = defaultConfig();
  c.queue.batch_size = 4;
  c.queue.files_in_flight = 5;
  over(c);
  return c;
}

/** An article whose every sentence names its file and place, so misplaced translations show. */
function article(f: number, paragraphs: number): string {
  const lines = [`Judul berkas ${f} yang penting`, ''];
  for (let p = 0; p < paragraphs; p++) {
    const n = 1 + ((f + p) % 4);
    const sentences = Array.from({ length: n }, (_, s) => `Kalimat ${s} dari paragraf ${p} berkas ${f} ${'kata '.repeat((f * 7 + p * 3 + s) % 9)}selesai.`);
    lines.push(sentences.join(' '), '');
  }
  return lines.join('\n');
}

describe('runPipeline with a fake engine', () => {
  it('puts every translation in its own file, block and place, across batches mixing files', async () => {
    const input = tempDir('dwb-in-');
    const out = tempDir('dwb-out-');
    const files = 23;
    for (let f = 0; f < files; f++) {
      const dir = join(input, `bagian${f % 3}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `artikel-${f}.txt`), article(f, 3 + (f % 5)));
    }
    const engine = new FakeEngine({ workers: 3, delayMs: 2 });
    const summary = await runPipeline({ inputs: [input], outDir: out, config: config(), engine, formats: ['json', 'txt'] });

    expect(summary.files.filter((f) => f.status === 'done')).toHaveLength(files);
    expect(engine.maxRunning).toBeGreaterThan(1);
    const mixed = engine.batches.some((b) => new Set(b.map((s) => /berkas (\d+)/.exec(s)?.[1])).size > 1);
    expect(mixed).toBe(true);

    for (let f = 0; f < files; f++) {
      const base = join(out, `bagian${f % 3}`, `artikel-${f}`);
      const json = JSON.parse(readFileSync(base + '.id-en.json', 'utf8')) as JsonOut;
      const original = readFileSync(join(input, `bagian${f % 3}`, `artikel-${f}.txt`), 'utf8');
      expect(json.blocks.map((b) => (b.marker ?? '') + b.source + (b.trailer ?? '')).join('')).toBe(original);
      for (const block of json.blocks) {
        for (const seg of block.segments) {
          expect(seg.source).toContain(`berkas ${f}`);
          expect(seg.target).toBe(reverseWords(seg.source));
        }
      }
      const english = readFileSync(base + '.en.txt', 'utf8');
      expect(english.split('\n\n').length).toBe(original.split('\n\n').length);
      expect(english).toContain(reverseWords(`Judul berkas ${f} yang penting`));
    }
  });

  it('translates a sentence that occurs in many files once', async () => {
    const input = tempDir('dwb-in-');
    const out = tempDir('dwb-out-');
    for (let f = 0; f < 6; f++) writeFileSync(join(input, `a${f}.txt`), `Judul ${f}\n\nKalimat yang sama di semua berkas.\n`);
    const engine = new FakeEngine();
    await runPipeline({ inputs: [input], outDir: out, config: config(), engine, formats: ['json'] });
    expect(engine.batches.flat().filter((s) => s === 'Kalimat yang sama di semua berkas.')).toHaveLength(1);
  });

  it('reports a bad file and goes on with the others', async () => {
    const input = tempDir('dwb-in-');
    const out = tempDir('dwb-out-');
    writeFileSync(join(input, 'baik.txt'), 'Judul\n\nIsi yang baik.\n');
    writeFileSync(join(input, 'kosong.txt'), '   \n\n');
    writeFileSync(join(input, 'rusak.txt'), Buffer.from([0x4a, 0x75, 0xff, 0xfe, 0x64, 0x75, 0x6c]));
    writeFileSync(join(input, 'biner.md'), Buffer.from([0, 1, 2, 3, 0, 0, 5, 6]));
    const summary = await runPipeline({ inputs: [input], outDir: out, config: config(), engine: new FakeEngine(), formats: ['json'] });
    const by = new Map(summary.files.map((f) => [f.input.split('/').pop(), f]));
    expect(by.get('baik.txt')!.status).toBe('done');
    expect(by.get('kosong.txt')!.status).toBe('failed');
    expect(by.get('kosong.txt')!.failures[0]).toMatch(/empty/);
    expect(by.get('rusak.txt')!.failures[0]).toMatch(/UTF-8/);
    expect(by.get('biner.md')!.failures[0]).toMatch(/binary/);
    expect(existsSync(join(out, 'baik.id-en.json'))).toBe(true);
    expect(existsSync(join(out, 'kosong.id-en.json'))).toBe(false);
  });

  it('marks a sentence that keeps failing in every format and fails the file only', async () => {
    const input = tempDir('dwb-in-');
    const out = tempDir('dwb-out-');
    writeFileSync(join(input, 'a.txt'), 'Judul\n\nKalimat baik. Kalimat RUSAK sekali. Kalimat baik lagi.\n');
    writeFileSync(join(input, 'b.txt'), 'Judul lain\n\nSemua baik.\n');
    const engine = new FakeEngine({ failOn: /RUSAK/ });
    const summary = await runPipeline({ inputs: [input], outDir: out, config: config(), engine, formats: ['json', 'md', 'html', 'txt'] });
    const a = summary.files.find((f) => f.input.endsWith('a.txt'))!;
    expect(a.status).toBe('failed');
    expect(a.failures[0]).toContain('RUSAK');
    expect(summary.files.find((f) => f.input.endsWith('b.txt'))!.status).toBe('done');
    const json = JSON.parse(readFileSync(join(out, 'a.id-en.json'), 'utf8')) as JsonOut;
    const seg = json.blocks.flatMap((b) => b.segments).find((s) => s.source.includes('RUSAK'))!;
    expect(seg.error).toBeDefined();
    expect(readFileSync(join(out, 'a.id-en.md'), 'utf8')).toMatch(/translation failed/);
    expect(readFileSync(join(out, 'a.id-en.html'), 'utf8')).toMatch(/translation failed/);
    // The English-only file keeps the untranslated sentence rather than dropping it.
    expect(readFileSync(join(out, 'a.en.txt'), 'utf8')).toContain('Kalimat RUSAK sekali.');
  });

  it('keeps two inputs from writing the same outputs', async () => {
    const input = tempDir('dwb-in-');
    const out = tempDir('dwb-out-');
    writeFileSync(join(input, 'x.txt'), 'Judul teks\n\nIsi teks.\n');
    writeFileSync(join(input, 'x.md'), '# Judul markdown\n\nIsi markdown.\n');
    await runPipeline({ inputs: [input], outDir: out, config: config(), engine: new FakeEngine(), formats: ['json'] });
    const names = readdirSync(out).filter((n) => n.endsWith('.json')).sort();
    expect(names).toHaveLength(2);
    const sources = names.map((n) => (JSON.parse(readFileSync(join(out, n), 'utf8')) as JsonOut).blocks[0]!.source);
    expect(sources.sort()).toEqual(['Judul markdown', 'Judul teks']);
  });

  it('leaves Markdown code, link targets and inline code exactly as they were', async () => {
    const input = tempDir('dwb-in-');
    const out = tempDir('dwb-out-');
    const md = [
      '---',
      'judul: depan',
      '---',
      '# Panduan kuota disk',
      '',
      'Lihat [halaman ini](https://contoh.id/kuota.html) dan jalankan `quota -u budi` sekarang.',
      '',
      '```',
      'edquota -u budi',
      '```',
      '',
      '| Port | Keterangan |',
      '|------|------------|',
      '| 22 | akses jarak jauh |',
      '',
    ].join('\n');
    writeFileSync(join(input, 'p.md'), md);
    await runPipeline({ inputs: [input], outDir: out, config: config(), engine: new FakeEngine(), formats: ['txt', 'json'] });
    const english = readFileSync(join(out, 'p.en.md'), 'utf8');
    expect(english).toContain('---\njudul: depan\n---\n');
    expect(english).toContain('(https://contoh.id/kuota.html)');
    expect(english).toContain('`quota -u budi`');
    expect(english).toContain('```\nedquota -u budi\n```');
    expect(english).toMatch(/^\|.*\|$/m);
    expect(english).toContain('|------|------------|');
    expect(english.split('\n').length).toBe(md.split('\n').length);
  });
});
