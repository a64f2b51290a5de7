/** Human translations in the memory: their own table, precedence over the model, migration, clearing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { humanKey, MEMORY_SCHEMA_VERSION, TranslationMemory } from '../../src/memory/memory.js';

let tmp: string;
let file: string;

beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dwb-human-'));
  file = path.join(tmp, 'memory.sqlite');
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const MK = 'model-a';

describe('human translations in the memory', () => {
  it('are returned for the sentence whatever the model stored for it, and survive later model writes', () => {
    const m = TranslationMemory.open(file);
    m.putMany(MK, [{ source: 'Selamat pagi.', target: 'Good morning machine.' }]);
    m.putHuman('Selamat pagi.', 'Good morning.', 1_000);
    // A later run stores the model's English again: the person's stays.
    m.putMany(MK, [{ source: 'Selamat pagi.', target: 'Morning of safety.' }]);
    expect(m.getHuman(['Selamat pagi.', 'Tidak ada.'])).toEqual(new Map([['Selamat pagi.', { source: 'Selamat pagi.', target: 'Good morning.', updatedAt: 1_000 }]]));
    // The machine cache is untouched by human translations (it is keyed by model).
    expect(m.getMany(MK, ['Selamat pagi.']).get('Selamat pagi.')).toBe('Morning of safety.');
    m.close();
  });

  it('hold for every model, and for the same sentence with other spacing', () => {
    const m = TranslationMemory.open(file);
    m.putHuman('  Kopi  itu\n enak. ', 'The coffee is good.');
    expect(m.getHuman(['Kopi itu enak.']).get('Kopi itu enak.')?.target).toBe('The coffee is good.');
    expect(m.getHuman(['Kopi itu\tenak.']).get('Kopi itu\tenak.')?.target).toBe('The coffee is good.');
    expect(m.getHuman(['Kopi itu enak!']).size).toBe(0);
    expect(humanKey(' a \n b ')).toBe('a b');
    m.close();
  });

  it('a newer edit of the same sentence replaces the older one', () => {
    const m = TranslationMemory.open(file);
    m.putHuman('Halo.', 'Hello.', 1);
    m.putHuman('Halo.', 'Hi there.', 2);
    expect(m.getHuman(['Halo.']).get('Halo.')).toMatchObject({ target: 'Hi there.', updatedAt: 2 });
    expect(m.humanCount()).toBe(1);
    m.close();
  });

  it('persist across reopen; clearHuman removes them and nothing else', () => {
    const a = TranslationMemory.open(file);
    a.putMany(MK, [{ source: 'Halo.', target: 'Hello (model).' }]);
    a.putHuman('Halo.', 'Hello.');
    a.putHuman('Ya.', 'Yes.');
    a.close();
    const b = TranslationMemory.open(file);
    expect(b.humanCount()).toBe(2);
    expect(b.clearHuman()).toBe(2);
    expect(b.getHuman(['Halo.', 'Ya.']).size).toBe(0);
    expect(b.getMany(MK, ['Halo.']).get('Halo.')).toBe('Hello (model).');
    b.close();
  });

  it('migrates a version 1 memory in place, keeping its machine translations', () => {
    // A memory as dwibahasa wrote it before human translations existed.
    const db = new Database(file);
    db.exec(`CREATE TABLE models (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
      CREATE TABLE entries (hash BLOB PRIMARY KEY, model_id INTEGER NOT NULL REFERENCES models(id), source TEXT NOT NULL, target TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;`);
    db.pragma('user_version = 1');
    db.close();
    const m = TranslationMemory.open(file);
    m.putMany(MK, [{ source: 'Halo.', target: 'Hello.' }]);
    m.putHuman('Ya.', 'Yes.');
    m.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(MEMORY_SCHEMA_VERSION);
    expect(MEMORY_SCHEMA_VERSION).toBe(2);
    check.close();
    const again = TranslationMemory.open(file);
    expect(again.getMany(MK, ['Halo.']).get('Halo.')).toBe('Hello.');
    expect(again.getHuman(['Ya.']).get('Ya.')?.target).toBe('Yes.');
    again.close();
  });

  it('refuses an empty source sentence', () => {
    const m = TranslationMemory.open(file);
    expect(() => m.putHuman('  ', 'x')).toThrow(/needs a source sentence/);
    m.close();
  });
});
