/**
 * Issue 9, point 3: when the translation memory cannot be written or read, a guard retry is not
 * silently dropped: the file fails (or, with a corrupt memory, the run stops), and the manifest never
 * calls such a file current, so a rerun on a healthy memory translates it properly.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { StorageError } from '../../src/errors.js';
import { createGuard } from '../../src/guards/guard.js';
import { modelKeyOf } from '../../src/memory/model-key.js';
import { openRunManifest } from '../../src/pipeline/manifest-adapter.js';
import { runPipeline } from '../../src/pipeline/run.js';
import type { TranslateOptions } from '../../src/translate/engine.js';
import type { TranslationStore } from '../../src/translate/queue.js';
import { FakeEngine } from '../helpers/fake-engine.js';

const temp = (p: string): string => mkdtempSync(join(tmpdir(), p));

function config(): Config {
  const c = defaultConfig();
  c.queue.batch_size = 4;
  c.queue.files_in_flight = 2;
  return c;
}

/** Each word spelt backwards: unlike the source, so the guards only flag what loops. */
const mirror = (t: string): string => t.split(' ').map((w) => [...w].reverse().join('')).join(' ');

/** Plain decoding loops on "ulang"; decoding with a repetition penalty (the guard's retry) does not. */
function loopingEngine(): FakeEngine {
  return new FakeEngine({
    translate: (t: string, o: TranslateOptions) =>
      /ulang/.test(t) && (o.repetitionPenalty ?? 1) === 1 ? 'again again again again again again again again again' : mirror(t),
  });
}

/** A working store in memory. */
function mapStore(): TranslationStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getMany: (s) => new Map(s.filter((x) => map.has(x)).map((x) => [x, map.get(x)!])),
    putMany: (e) => {
      for (const { source, target } of e) map.set(source, target);
    },
  };
}

/** What SQLite says when the disk is full, as the memory (memory.ts) reports it. */
function fullDisk(): StorageError {
  const sqlite = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  return new StorageError('translation memory m.sqlite: writing failed: disk full (SQLITE_FULL); free some space and run again', 'm.sqlite', false, { cause: sqlite });
}

async function run(input: string, out: string, retryStore: (o: TranslateOptions) => TranslationStore, store: TranslationStore) {
  const c = config();
  const engine = loopingEngine();
  const manifest = await openRunManifest(out, { modelKey: modelKeyOf(engine.info), info: engine.info, config: c, force: false });
  const summary = await runPipeline({
    inputs: [input], outDir: out, config: c, engine, store, retryStore, formats: ['txt'],
    guard: createGuard(c, engine),
    events: { onFileDone: (o) => manifest.record(o) },
    incremental: manifest, ownership: manifest,
  });
  await manifest.finish();
  return summary;
}

describe('storage failures during guard retries', () => {
  it('a retry that cannot be stored fails the file, and a rerun on a healthy memory redoes it', async () => {
    const input = temp('dwb-sf-');
    const out = temp('dwb-sf-out-');
    writeFileSync(join(input, 'loop.txt'), 'Kata ulang ini penting sekali.\n');
    writeFileSync(join(input, 'fine.txt'), 'Kalimat biasa yang baik.\n');
    const store = mapStore();
    const broken = (): TranslationStore => ({ getMany: () => new Map(), putMany: () => { throw fullDisk(); } });
    const first = await run(input, out, broken, store);
    const loop = first.files.find((f) => f.input.endsWith('loop.txt'))!;
    expect(loop.status).toBe('failed');
    expect(loop.failures.join(' ')).toMatch(/SQLITE_FULL/);
    expect(first.files.find((f) => f.input.endsWith('fine.txt'))!.status).toBe('done');

    const healthy = mapStore();
    const second = await run(input, out, () => healthy, store);
    const again = second.files.find((f) => f.input.endsWith('loop.txt'))!;
    expect(again.status).toBe('done');
    expect(second.files.find((f) => f.input.endsWith('fine.txt'))!.status).toBe('skipped');
    expect(again.flags).toEqual({});
  });

  it('a retry store that cannot be read (any error a store throws) fails the file too', async () => {
    const input = temp('dwb-sf-');
    writeFileSync(join(input, 'loop.txt'), 'Kata ulang ini penting sekali.\n');
    const eio = (): TranslationStore => ({ getMany: () => { throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }); }, putMany: () => {} });
    const summary = await run(input, temp('dwb-sf-out-'), eio, mapStore());
    expect(summary.files[0]!.status).toBe('failed');
    expect(summary.files[0]!.failures[0]).toMatch(/reading failed: EIO/);
  });

  it('a corrupt memory stops the run: no further file is started, and the summary says why', async () => {
    const input = temp('dwb-sf-');
    for (let i = 0; i < 8; i++) writeFileSync(join(input, `f${i}.txt`), `Kalimat nomor ${i} di sini.\n`);
    const corrupt: TranslationStore = {
      getMany: () => {
        throw new StorageError('translation memory m.sqlite is corrupt or not a dwibahasa memory (SQLITE_CORRUPT); run again with --reset-memory', 'm.sqlite', true);
      },
      putMany: () => {},
    };
    const summary = await run(input, temp('dwb-sf-out-'), () => corrupt, corrupt);
    expect(summary.stoppedBy).toBeInstanceOf(StorageError);
    expect(summary.stoppedBy!.message).toContain('--reset-memory');
    expect(summary.files.length).toBeLessThan(8);
    expect(summary.files.every((f) => f.status === 'failed')).toBe(true);
  });
});
