import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStateError } from '../../src/errors.js';
import { memoryKey, TranslationMemory } from '../../src/memory/memory.js';
import { modelKeyOf } from '../../src/memory/model-key.js';

let tmp: string;
let file: string;
const open: TranslationMemory[] = [];

function openMem(opts?: { reset?: boolean }): TranslationMemory {
  const m = TranslationMemory.open(file, opts);
  open.push(m);
  return m;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dwb-mem-'));
  file = path.join(tmp, 'sub', 'memory.sqlite');
});
afterEach(() => {
  for (const m of open.splice(0)) m.close();
  rmSync(tmp, { recursive: true, force: true });
});

const MK = 'opus-mt-id-en|abc123|q8|beams=1';

describe('TranslationMemory', () => {
  it('returns what was put, only for the same model key', () => {
    const m = openMem();
    m.putMany(MK, [
      { source: 'Selamat pagi.', target: 'Good morning.' },
      { source: 'Terima kasih.', target: 'Thank you.' },
    ]);
    const got = m.getMany(MK, ['Terima kasih.', 'Tidak ada.', 'Selamat pagi.']);
    expect([...got.entries()].sort()).toEqual([
      ['Selamat pagi.', 'Good morning.'],
      ['Terima kasih.', 'Thank you.'],
    ]);
    expect(m.getMany(`${MK}x`, ['Selamat pagi.']).size).toBe(0);
    expect(m.getMany('other', ['Selamat pagi.']).size).toBe(0);
  });

  it('overwrites an entry put again and keeps exact text (whitespace, non-ASCII)', () => {
    const m = openMem();
    m.putMany(MK, [{ source: 'Kopi  ☕ ', target: 'old' }]);
    m.putMany(MK, [{ source: 'Kopi  ☕ ', target: 'Coffee ☕' }]);
    expect(m.getMany(MK, ['Kopi  ☕ ']).get('Kopi  ☕ ')).toBe('Coffee ☕');
    expect(m.getMany(MK, ['Kopi ☕ ']).size).toBe(0);
    expect(m.stats()).toMatchObject({ entries: 1, models: 1, writes: 2 });
  });

  it('persists across close and reopen', () => {
    const a = openMem();
    a.putMany(MK, [{ source: 'Halo.', target: 'Hello.' }]);
    a.putMany('second-model', [{ source: 'Halo.', target: 'Hi.' }]);
    a.close();
    const b = openMem();
    expect(b.getMany(MK, ['Halo.']).get('Halo.')).toBe('Hello.');
    expect(b.getMany('second-model', ['Halo.']).get('Halo.')).toBe('Hi.');
    expect(b.stats()).toMatchObject({ entries: 2, models: 2, lookups: 2, hits: 2, writes: 0 });
  });

  it('does not return a row whose stored source differs from the one asked (hash collision guard)', () => {
    const m = openMem();
    m.putMany(MK, [{ source: 'asli', target: 'original' }]);
    m.close();
    // Simulate a collision: the row stored under the key of "asli" now holds another source text.
    const db = new Database(file);
    db.prepare('UPDATE entries SET source = ? WHERE hash = ?').run('lain', memoryKey(MK, 'asli'));
    db.close();
    expect(openMem().getMany(MK, ['asli']).size).toBe(0);
  });

  it('looks up 10,000 sources in one call', () => {
    const m = openMem();
    const entries = Array.from({ length: 10_000 }, (_, i) => ({ source: `Kalimat nomor ${i}.`, target: `Sentence ${i}.` }));
    m.putMany(MK, entries);
    const asked = entries.map((e) => e.source).concat(['tidak ada 1', 'tidak ada 2']);
    const got = m.getMany(MK, asked);
    expect(got.size).toBe(10_000);
    expect(got.get('Kalimat nomor 9999.')).toBe('Sentence 9999.');
    expect(got.get('Kalimat nomor 0.')).toBe('Sentence 0.');
    expect(got.has('tidak ada 1')).toBe(false);
  });

  it('refuses a corrupt file with RunStateError naming the path and --reset-memory', () => {
    openMem().close();
    rmSync(file);
    writeFileSync(file, randomBytes(8192));
    const err = thrown(() => openMem());
    expect(err).toBeInstanceOf(RunStateError);
    expect((err as RunStateError).message).toContain(file);
    expect((err as RunStateError).message).toContain('--reset-memory');
    expect((err as RunStateError).path).toBe(file);
  });

  it('reset moves a corrupt file aside, keeping its bytes, and starts fresh', () => {
    const junk = randomBytes(4096);
    openMem().close();
    rmSync(file);
    writeFileSync(file, junk);
    const m = openMem({ reset: true });
    expect(m.stats().entries).toBe(0);
    const aside = readdirSync(path.dirname(file)).filter((n) => /^memory\.sqlite\.bad-/.test(n));
    expect(aside).toHaveLength(1);
    expect(m.movedAside).toBe(path.join(path.dirname(file), aside[0] as string));
    expect(readFileSync(m.movedAside as string).equals(junk)).toBe(true);
    m.putMany(MK, [{ source: 'a', target: 'b' }]);
    expect(m.getMany(MK, ['a']).get('a')).toBe('b');
  });

  it('refuses an incompatible schema version and a foreign SQLite file', () => {
    openMem().close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const err = thrown(() => openMem());
    expect(err).toBeInstanceOf(RunStateError);
    expect((err as Error).message).toMatch(/schema version 99.*version 2.*--reset-memory/);

    const foreign = path.join(tmp, 'foreign.sqlite');
    const f = new Database(foreign);
    f.exec('CREATE TABLE t (x)');
    f.close();
    const err2 = thrown(() => TranslationMemory.open(foreign));
    expect(err2).toBeInstanceOf(RunStateError);
    expect((err2 as Error).message).toMatch(/not a dwibahasa translation memory/);
  });

  it('lets another process read while it is open and writing (WAL)', () => {
    const m = openMem();
    m.putMany(MK, [{ source: 'satu', target: 'one' }]);
    const reader = `
      const D = require('better-sqlite3');
      const db = new D(process.argv[1], { readonly: true, timeout: 5000 });
      console.log(JSON.stringify(db.prepare('SELECT count(*) AS n FROM entries').get()));
    `;
    const run = (): unknown =>
      JSON.parse(execFileSync(process.execPath, ['-e', reader, file], { cwd: process.cwd(), encoding: 'utf8' }));
    expect(run()).toEqual({ n: 1 });
    m.putMany(MK, [{ source: 'dua', target: 'two' }]);
    expect(run()).toEqual({ n: 2 });
    expect(existsSync(`${file}-wal`)).toBe(true);
  });

  it('modelKeyOf ignores the order of decoding settings but not their values', () => {
    const base = { id: 'Xenova/opus-mt-id-en', hash: 'h1', dtype: 'q8' as const };
    const a = modelKeyOf({ ...base, decoding: { beams: 1, maxLength: 512 } });
    const b = modelKeyOf({ ...base, decoding: { maxLength: 512, beams: 1 } });
    expect(a).toBe(b);
    expect(modelKeyOf({ ...base, decoding: { beams: 2, maxLength: 512 } })).not.toBe(a);
    expect(modelKeyOf({ ...base, dtype: 'fp32', decoding: { beams: 1, maxLength: 512 } })).not.toBe(a);
    expect(modelKeyOf({ ...base, hash: 'h2', decoding: { beams: 1, maxLength: 512 } })).not.toBe(a);
  });

  it('fails with RunStateError after close', () => {
    const m = openMem();
    m.close();
    expect(() => m.getMany(MK, ['x'])).toThrow(RunStateError);
  });
});
