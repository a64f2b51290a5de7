/**
 * Inputs that break naive tools: huge paragraphs, huge files, huge "words", outputs that cannot be
 * written. Each must be translated or reported; none may crash or hang the run.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { FakeEngine } from '../helpers/fake-engine.js';

const dir = (p: string) => mkdtempSync(join(tmpdir(), p));

interface JsonOut {
  blocks: Array<{ marker?: string; source: string; trailer?: string; segments: Array<{ source: string; target: string }> }>;
}

function config() {
  const c = defaultConfig();
  c.guards.enabled = false;
  return c;
}

describe('hostile inputs', () => {
  it('translates a 2 MB single paragraph without losing a character', async () => {
    const input = dir('dwb-big-');
    const out = dir('dwb-big-out-');
    const sentence = 'Pemerintah daerah menyiapkan anggaran Rp8,374 triliun untuk 1.200 desa pada pukul 16.00 WIB. ';
    const paragraph = sentence.repeat(Math.ceil(2_000_000 / sentence.length)).trim();
    writeFileSync(join(input, 'besar.txt'), `Judul\n\n${paragraph}\n`);
    const engine = new FakeEngine({ translate: (t) => t });
    const summary = await runPipeline({ inputs: [input], outDir: out, config: config(), engine, formats: ['json'] });
    expect(summary.files[0]!.status).toBe('done');
    const json = JSON.parse(readFileSync(join(out, 'besar.id-en.json'), 'utf8')) as JsonOut;
    const block = json.blocks.find((b) => b.source.length > 1_000_000)!;
    expect(block.source).toBe(paragraph);
    // Identical sentences are translated once however often they occur.
    expect(engine.rows).toBeLessThan(5);
  });

  it('translates a file of 10,000 short paragraphs, each in its place', async () => {
    const input = dir('dwb-many-');
    const out = dir('dwb-many-out-');
    const paras = Array.from({ length: 10_000 }, (_, i) => `Paragraf nomor ${i} di sini.`);
    writeFileSync(join(input, 'banyak.txt'), ['Judul', ...paras].join('\n\n') + '\n');
    const engine = new FakeEngine({ workers: 2 });
    await runPipeline({ inputs: [input], outDir: out, config: config(), engine, formats: ['json', 'txt'] });
    const json = JSON.parse(readFileSync(join(out, 'banyak.id-en.json'), 'utf8')) as JsonOut;
    const body = json.blocks.slice(1);
    expect(body).toHaveLength(10_000);
    body.forEach((b, i) => expect(b.segments[0]!.target).toBe(`sini. di ${i} nomor Paragraf`));
    expect(readFileSync(join(out, 'banyak.en.txt'), 'utf8').split('\n\n')).toHaveLength(10_001);
  });

  it('cuts a 5,000-character word into pieces the model can take, keeping every character', async () => {
    const input = dir('dwb-word-');
    const out = dir('dwb-word-out-');
    const word = 'a'.repeat(5000);
    writeFileSync(join(input, 'kata.txt'), `Judul\n\nAwal ${word} akhir.\n`);
    // Counts characters, so the word is far over the model's limit of 512.
    const engine = new FakeEngine({ translate: (t) => t });
    (engine as { countTokens: (t: string) => number }).countTokens = (t: string) => t.length + 1;
    const summary = await runPipeline({ inputs: [input], outDir: out, config: config(), engine, formats: ['json', 'txt'] });
    expect(summary.files[0]!.status).toBe('done');
    for (const batch of engine.batches) for (const s of batch) expect(s.length + 1).toBeLessThanOrEqual(200);
    expect(readFileSync(join(out, 'kata.en.txt'), 'utf8')).toContain(`Awal ${word} akhir.`);
  });

  it('reports an output that cannot be written, naming the path, and writes the others', async () => {
    const input = dir('dwb-ro-');
    const out = dir('dwb-ro-out-');
    writeFileSync(join(input, 'a.txt'), 'Judul a\n\nIsi a.\n');
    writeFileSync(join(input, 'b.txt'), 'Judul b\n\nIsi b.\n');
    // A folder where a.id-en.json must go: its write fails.
    const blocked = join(out, 'a.id-en.json');
    (await import('node:fs')).mkdirSync(blocked);
    const summary = await runPipeline({ inputs: [input], outDir: out, config: config(), engine: new FakeEngine(), formats: ['json'] });
    const a = summary.files.find((f) => f.input.endsWith('a.txt'))!;
    expect(a.status).toBe('failed');
    expect(a.failures[0]).toContain(blocked);
    expect(existsSync(join(out, 'b.id-en.json'))).toBe(true);
  });
});
