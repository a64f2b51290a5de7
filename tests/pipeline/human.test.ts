/** The pipeline puts a person's translation first: never sent to the model or the guards. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { createGuard } from '../../src/guards/guard.js';
import { TranslationMemory } from '../../src/memory/memory.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { FakeEngine } from '../helpers/fake-engine.js';

describe('runPipeline with human translations', () => {
  it('uses the human English for its sentence, marks it reviewed, and asks the model only for the rest', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-hin-'));
    const out = mkdtempSync(join(tmpdir(), 'dwb-hout-'));
    writeFileSync(join(input, 'a.txt'), 'Judul artikel\n\nKucing itu tidur. Anjing itu makan nasi.\n');
    const memory = TranslationMemory.open(join(out, 'memory.sqlite'));
    // A machine translation of the same sentence in the cache must lose to the person's.
    const engine = new FakeEngine({ translate: (t) => `MODEL(${t})` });
    const config = defaultConfig();
    const store = { getMany: (s: readonly string[]) => memory.getMany('k', s), putMany: (e: ReadonlyArray<{ source: string; target: string }>) => memory.putMany('k', [...e]) };
    memory.putMany('k', [{ source: 'Kucing itu tidur.', target: 'cached machine English' }]);
    memory.putHuman('Kucing itu tidur.', 'The cat is asleep.', Date.UTC(2026, 0, 2, 3, 4, 5));
    const summary = await runPipeline({
      inputs: [input], outDir: out, config, engine, store, human: memory, formats: ['json', 'tmx', 'txt'],
      // The guard would flag "MODEL(...)" output and retry it; a human sentence must not reach it.
      guard: createGuard(config, engine),
    });
    memory.close();
    expect(summary.files[0]?.status).toBe('done');
    const sent = engine.batches.flat();
    expect(sent.some((t) => t.includes('Kucing'))).toBe(false);
    expect(sent).toContain('Anjing itu makan nasi.');
    const json = JSON.parse(readFileSync(join(out, 'a.id-en.json'), 'utf8')) as { blocks: Array<{ target: string; segments: Array<{ source: string; target: string; reviewed?: string; flags?: string[] }> }> };
    const seg = json.blocks.flatMap((b) => b.segments).find((s) => s.source === 'Kucing itu tidur.');
    expect(seg).toEqual({ source: 'Kucing itu tidur.', target: 'The cat is asleep.', reviewed: '2026-01-02T03:04:05.000Z' });
    expect(json.blocks[1]?.target).toBe('The cat is asleep. MODEL(Anjing itu makan nasi.)');
    const tmx = readFileSync(join(out, 'a.id-en.tmx'), 'utf8');
    expect(tmx).toContain('<tu changeid="dwibahasa-review" changedate="20260102T030405Z">\n      <prop type="x-dwibahasa-origin">human</prop>\n      <tuv xml:lang="id"><seg>Kucing itu tidur.</seg></tuv>\n      <tuv xml:lang="en"><seg>The cat is asleep.</seg></tuv>');
    expect(readFileSync(join(out, 'a.en.txt'), 'utf8')).toContain('The cat is asleep. MODEL(Anjing itu makan nasi.)');
  });
});

describe('runPipeline with a human translation saved from another format', () => {
  it('never lets it bring markup into a web page: a text file\'s English is escaped in x.en.html', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-hhin-'));
    const out = mkdtempSync(join(tmpdir(), 'dwb-hhout-'));
    writeFileSync(
      join(input, 'p.html'),
      '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Judul</title></head><body><main><p>Kucing itu tidur.</p></main></body></html>',
    );
    const memory = TranslationMemory.open(join(out, 'memory.sqlite'));
    // As the review page stores an edit made on a .txt file: the text exactly as typed.
    memory.putHuman('Kucing itu tidur.', 'The cat <img src=x onerror=alert(1)> sleeps.', Date.UTC(2026, 0, 2));
    const config = defaultConfig();
    config.input.html.extract = 'all';
    const summary = await runPipeline({ inputs: [input], outDir: out, config, engine: new FakeEngine(), human: memory, formats: ['txt', 'json'] });
    memory.close();
    expect(summary.files[0]?.status).toBe('done');
    const page = readFileSync(join(out, 'p.en.html'), 'utf8');
    expect(page).toContain('<p>The cat &lt;img src=x onerror=alert(1)&gt; sleeps.</p>');
    expect(page).not.toContain('<img');
  });
});
