/** Issue 9, points 1 and 2: an output folder never mixes with, replaces or re-reads the user's inputs. */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { UsageError } from '../../src/errors.js';
import { openRunManifest } from '../../src/pipeline/manifest-adapter.js';
import { checkOutFolder } from '../../src/pipeline/out-folder.js';
import { runPipeline, type RunOptions } from '../../src/pipeline/run.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { modelKeyOf } from '../../src/memory/model-key.js';

const temp = (p: string): string => mkdtempSync(join(tmpdir(), p));

function config(over: (c: Config) => void = () => {}): Config {
  const c = defaultConfig();
  c.queue.batch_size = 4;
  c.queue.files_in_flight = 1;
  c.guards.enabled = false;
  over(c);
  return c;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** A run as the CLI makes it: the manifest decides what is current and which files are ours. */
async function managedRun(inputs: string[], out: string, c: Config = config()): Promise<Awaited<ReturnType<typeof runPipeline>>> {
  const engine = new FakeEngine();
  const manifest = await openRunManifest(out, { modelKey: modelKeyOf(engine.info), info: engine.info, config: c, force: false });
  const opts: RunOptions = {
    inputs, outDir: out, config: c, engine, formats: ['txt', 'json'],
    events: { onFileDone: (o) => manifest.record(o) },
    incremental: manifest,
    ownership: manifest,
  };
  const summary = await runPipeline(opts);
  await manifest.finish();
  return summary;
}

describe('checkOutFolder', () => {
  it('refuses an output folder that is an input folder, or holds one, with exit code 2', () => {
    const input = temp('dwb-of-');
    mkdirSync(join(input, 'sub'));
    expect(() => checkOutFolder([input], input)).toThrow(UsageError);
    expect(() => checkOutFolder([input], input)).toThrow(/is the input folder/);
    expect(() => checkOutFolder([join(input, 'sub')], input)).toThrow(/contains the input folder/);
    expect(() => checkOutFolder([input], join(input, 'sub', '..'))).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('accepts an output folder inside an input folder, even one not created yet', () => {
    const input = temp('dwb-of-');
    expect(() => checkOutFolder([input], join(input, 'out', 'deeper'))).not.toThrow();
  });

  it('refuses an input inside the output folder\'s state folder', () => {
    const out = temp('dwb-of-');
    mkdirSync(join(out, '.dwibahasa'));
    writeFileSync(join(out, '.dwibahasa', 'x.txt'), 'Halo dunia.\n');
    expect(() => checkOutFolder([join(out, '.dwibahasa', 'x.txt')], out)).toThrow(/run state/);
  });

  it('runPipeline refuses too, before writing anything', async () => {
    const input = temp('dwb-of-');
    writeFileSync(join(input, 'x.txt'), 'Ini kalimat.\n');
    await expect(runPipeline({ inputs: [input], outDir: input, config: config(), engine: new FakeEngine(), formats: ['txt'] })).rejects.toThrow(UsageError);
    expect(readdirSync(input)).toEqual(['x.txt']);
  });
});

describe('an output folder inside the input folder', () => {
  it('is never translated as input, within one run or on reruns', async () => {
    const input = temp('dwb-of-');
    for (let i = 0; i < 6; i++) writeFileSync(join(input, `a-${i}.txt`), `Judul ${i}\n\nIni kalimat nomor ${i}.\n`);
    const out = join(input, 'out');
    // files_in_flight 1: the first files are written before discovery reaches out/.
    const first = await managedRun([input], out);
    expect(first.files.map((f) => relative(input, f.input)).sort()).toEqual(['a-0.txt', 'a-1.txt', 'a-2.txt', 'a-3.txt', 'a-4.txt', 'a-5.txt']);
    const after1 = walk(out).filter((p) => !p.includes('.dwibahasa')).length;
    expect(after1).toBe(12);
    const second = await managedRun([input], out);
    expect(second.files).toHaveLength(6);
    expect(second.files.every((f) => f.status === 'skipped')).toBe(true);
    expect(walk(out).filter((p) => !p.includes('.dwibahasa')).length).toBe(12);
  });

  it('leaves out any other dwibahasa output folder found inside an input folder, saying so', async () => {
    const input = temp('dwb-of-');
    writeFileSync(join(input, 'a.txt'), 'Ini kalimat.\n');
    mkdirSync(join(input, 'old-out', '.dwibahasa'), { recursive: true });
    writeFileSync(join(input, 'old-out', 'a.en.txt'), 'This sentence.\n');
    const notes: string[] = [];
    const summary = await runPipeline({
      inputs: [input], outDir: temp('dwb-of-out-'), config: config(), engine: new FakeEngine(), formats: ['txt'],
      events: { onNote: (p, n) => notes.push(`${relative(input, p)} ${n}`) },
    });
    expect(summary.files.map((f) => relative(input, f.input))).toEqual(['a.txt']);
    expect(notes).toEqual([expect.stringMatching(/^old-out holds dwibahasa outputs/)]);
  });
});

describe('files the tool did not write', () => {
  it('are never overwritten: that input fails, naming the file; the others are written', async () => {
    const input = temp('dwb-of-');
    const out = temp('dwb-of-out-');
    writeFileSync(join(input, 'x.txt'), 'Ini kalimat pertama.\n');
    writeFileSync(join(input, 'y.txt'), 'Ini kalimat kedua.\n');
    writeFileSync(join(out, 'x.en.txt'), 'my own notes\n');
    const summary = await managedRun([input], out);
    const x = summary.files.find((f) => f.input.endsWith('x.txt'))!;
    const y = summary.files.find((f) => f.input.endsWith('y.txt'))!;
    expect(x.status).toBe('failed');
    expect(x.failures[0]).toContain(join(out, 'x.en.txt'));
    expect(x.failures[0]).toMatch(/did not write it.*move it away, or choose another --out/);
    expect(readFileSync(join(out, 'x.en.txt'), 'utf8')).toBe('my own notes\n');
    expect(readdirSync(out)).not.toContain('x.id-en.json');
    expect(y.status).toBe('done');
    // What the tool wrote itself it may replace: a changed input is translated again.
    writeFileSync(join(input, 'y.txt'), 'Ini kalimat kedua yang baru.\n');
    const again = await managedRun([join(input, 'y.txt')], out);
    expect(again.files[0]!.status).toBe('done');
    expect(readFileSync(join(out, 'y.en.txt'), 'utf8')).toContain('baru');
  });

  it('a run killed after writing outputs, before its manifest was saved, still knows them as its own', async () => {
    const out = temp('dwb-of-out-');
    const c = config();
    const engine = new FakeEngine();
    const open = () => openRunManifest(out, { modelKey: modelKeyOf(engine.info), info: engine.info, config: c, force: false });
    const killed = await open();
    await killed.claim([join(out, 'x.en.txt')]);
    writeFileSync(join(out, 'x.en.txt'), 'written, then killed\n');
    // No record(), no finish(): the process died here.
    const rerun = await open();
    expect(rerun.isOurs(join(out, 'x.en.txt'))).toBe(true);
    expect(rerun.isOurs(join(out, 'y.en.txt'))).toBe(false);
  });
});
