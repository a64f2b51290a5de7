/**
 * Translation memory: sentences already translated by a given model, kept in SQLite so that reruns,
 * edits of a few paragraphs and repeated boilerplate across articles cost no model time.
 *
 * Rows are keyed by sha256 over (modelKey, source); the model key and source text are stored too, so a
 * lookup only returns a row whose model and source really match.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { errorCode, RunStateError, StorageError } from '../errors.js';

/**
 * Bump when the tables change. Version 1 files (no human translations) are migrated in place when
 * opened; files of a newer version are refused with a clear remedy.
 */
export const MEMORY_SCHEMA_VERSION = 2;

/** A translation a person made or corrected (dwibahasa serve); it outranks any model's. */
export interface HumanTranslation {
  readonly source: string;
  readonly target: string;
  /** Milliseconds since the epoch of the last change. */
  readonly updatedAt: number;
}

export interface MemoryEntry {
  readonly source: string;
  readonly target: string;
}

export interface MemoryStats {
  readonly path: string;
  /** Translations stored, over all models. */
  readonly entries: number;
  /** Distinct model keys stored. */
  readonly models: number;
  /** Since open: sources looked up, found, and written. */
  readonly lookups: number;
  readonly hits: number;
  readonly writes: number;
}

export interface OpenMemoryOptions {
  /** Move an existing file aside (`<path>.bad-<timestamp>`) and start a fresh memory. */
  readonly reset?: boolean;
  /** How long to wait for another process's write lock, in ms. */
  readonly busyTimeoutMs?: number;
  /** Look up only (`--dry-run`): the file must exist; nothing is stored, no schema created. */
  readonly readOnly?: boolean;
}

const SCHEMA = `
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
);
CREATE TABLE entries (
  hash BLOB PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES models(id),
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * Human translations are keyed by the normalised source sentence alone: a person's correction holds
 * whatever model drafted the sentence, and a rerun with another model or --force keeps it.
 */
const HUMAN_SCHEMA = `
CREATE TABLE human (
  source TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * The key under which a human translation of a sentence is stored: trimmed, inner whitespace runs as
 * one space, so that the same sentence hard-wrapped differently in another file shares the fix.
 */
export function humanKey(source: string): string {
  return source.trim().replace(/\s+/g, ' ');
}

const REMEDY = 'run again with --reset-memory to start a fresh one (the old file is kept aside)';


function isCorruption(err: unknown): boolean {
  const code = errorCode(err) ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB');
}

/** Turn SQLite failures into errors that name the file and say what to do. */
function wrapError(err: unknown, file: string, doing: string): unknown {
  if (err instanceof RunStateError) return err;
  if (isCorruption(err)) {
    return new StorageError(
      `translation memory ${file} is corrupt or not a dwibahasa memory (${errorCode(err) ?? ''}); ${REMEDY}`,
      file,
      true,
      { cause: err },
    );
  }
  const code = errorCode(err) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StorageError(
      `translation memory ${file} stayed locked by another process while ${doing}; wait for that run to finish or use a different --memory file`,
      file,
      false,
      { cause: err },
    );
  }
  const msg = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_FULL') {
    return new StorageError(`translation memory ${file}: ${doing} failed: disk full (${code}); free some space and run again`, file, false, { cause: err });
  }
  if (code.startsWith('SQLITE_')) {
    return new StorageError(`translation memory ${file}: ${doing} failed: ${msg} (${code})`, file, false, { cause: err });
  }
  // Anything else from the database layer (ENOSPC, EIO) is a storage failure too.
  return new StorageError(`translation memory ${file}: ${doing} failed: ${msg}`, file, false, { cause: err });
}

/** Key of one translation: unambiguous, since the model key's length is part of what is hashed. */
export function memoryKey(modelKey: string, source: string): Buffer {
  const mk = Buffer.from(modelKey, 'utf8');
  return createHash('sha256').update(`${mk.length}:`).update(mk).update('\n').update(source, 'utf8').digest();
}

function moveAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let target = `${file}.bad-${stamp}`;
  for (let n = 1; existsSync(target); n++) target = `${file}.bad-${stamp}-${n}`;
  renameSync(file, target);
  // A WAL left next to the old file belongs to it; replayed into the new file it would corrupt it.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}

export class TranslationMemory {
  readonly path: string;
  /** Where `reset` moved the previous file, when it did. */
  readonly movedAside: string | undefined;
  private readonly db: Database.Database;
  private readonly modelIds = new Map<string, number>();
  private readonly getStmt: Database.Statement<[Buffer], { model_id: number; source: string; target: string }>;
  private readonly putStmt: Database.Statement<[Buffer, number, string, string, number]>;
  private counters = { lookups: 0, hits: 0, writes: 0 };
  private closed = false;

  private constructor(file: string, db: Database.Database, movedAside: string | undefined) {
    this.path = file;
    this.db = db;
    this.movedAside = movedAside;
    this.getStmt = db.prepare('SELECT model_id, source, target FROM entries WHERE hash = ?');
    this.putStmt = db.prepare(
      `INSERT INTO entries (hash, model_id, source, target, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(hash) DO UPDATE SET model_id = excluded.model_id, source = excluded.source,
         target = excluded.target, created_at = excluded.created_at`,
    );
  }

  static open(file: string, opts: OpenMemoryOptions = {}): TranslationMemory {
    const abs = path.resolve(file);
    if (opts.readOnly) {
      // Not SQLite's readonly mode: a read-only connection to a WAL database leaves its -wal and
      // -shm files behind. An ordinary connection that only reads removes them when it closes.
      try {
        return new TranslationMemory(abs, new Database(abs, { fileMustExist: true, timeout: opts.busyTimeoutMs ?? 10_000 }), undefined);
      } catch (err) {
        throw wrapError(err, abs, 'opening');
      }
    }
    let movedAside: string | undefined;
    try {
      mkdirSync(path.dirname(abs), { recursive: true });
      if (opts.reset && existsSync(abs)) movedAside = moveAside(abs);
      if (existsSync(abs) && statSync(abs).isDirectory()) {
        throw new RunStateError(`translation memory path ${abs} is a folder; give a file path`, abs);
      }
    } catch (err) {
      if (err instanceof RunStateError) throw err;
      throw new RunStateError(
        `cannot prepare translation memory ${abs}: ${err instanceof Error ? err.message : String(err)}`,
        abs,
        { cause: err },
      );
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(abs, { timeout: opts.busyTimeoutMs ?? 10_000 });
      // WAL lets other processes read while a run writes; NORMAL sync is durable across a crash of
      // this process, and a power cut can lose only the last batches, never corrupt the file.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      initSchema(db, abs);
      return new TranslationMemory(abs, db, movedAside);
    } catch (err) {
      db?.close();
      throw wrapError(err, abs, 'opening');
    }
  }

  /** Look up many sources at once; the map holds only those found. */
  getMany(modelKey: string, sources: readonly string[]): Map<string, string> {
    this.assertOpen();
    const found = new Map<string, string>();
    this.counters.lookups += sources.length;
    const modelId = this.modelId(modelKey, false);
    if (modelId === undefined || sources.length === 0) return found;
    try {
      // One read transaction: a consistent snapshot, and no per-row lock traffic.
      this.db.transaction(() => {
        for (const source of sources) {
          if (found.has(source)) continue;
          const row = this.getStmt.get(memoryKey(modelKey, source));
          if (row !== undefined && row.model_id === modelId && row.source === source) found.set(source, row.target);
        }
      }).deferred();
    } catch (err) {
      throw wrapError(err, this.path, 'reading');
    }
    for (const source of sources) if (found.has(source)) this.counters.hits++;
    return found;
  }

  /** Store a finished batch in one transaction: when this returns, the batch is on disk. */
  putMany(modelKey: string, entries: ReadonlyArray<MemoryEntry>): void {
    this.assertOpen();
    if (entries.length === 0) return;
    const now = Date.now();
    try {
      this.db.transaction(() => {
        const modelId = this.modelId(modelKey, true) as number;
        for (const { source, target } of entries) {
          this.putStmt.run(memoryKey(modelKey, source), modelId, source, target, now);
        }
      }).immediate();
    } catch (err) {
      // A rolled-back transaction may have interned a model id that no longer exists.
      this.modelIds.delete(modelKey);
      throw wrapError(err, this.path, 'writing');
    }
    this.counters.writes += entries.length;
  }

  /** Human translations of these sentences (looked up by humanKey); the map holds only those found. */
  getHuman(sources: readonly string[]): Map<string, HumanTranslation> {
    this.assertOpen();
    const found = new Map<string, HumanTranslation>();
    if (sources.length === 0) return found;
    try {
      const get = this.db.prepare('SELECT source, target, updated_at FROM human WHERE source = ?');
      this.db.transaction(() => {
        for (const source of sources) {
          if (found.has(source)) continue;
          const row = get.get(humanKey(source)) as { source: string; target: string; updated_at: number } | undefined;
          if (row !== undefined) found.set(source, { source: row.source, target: row.target, updatedAt: row.updated_at });
        }
      }).deferred();
    } catch (err) {
      throw wrapError(err, this.path, 'reading human translations');
    }
    return found;
  }

  /**
   * Store a person's translation of a sentence, replacing any earlier one. Committed before it returns,
   * so that a crash after this point still has the edit for the next run.
   */
  putHuman(source: string, target: string, now: number = Date.now()): HumanTranslation {
    this.assertOpen();
    const key = humanKey(source);
    if (key === '') throw new RunStateError(`translation memory ${this.path}: a human translation needs a source sentence`, this.path);
    try {
      this.db
        .prepare(
          `INSERT INTO human (source, target, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(source) DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at`,
        )
        .run(key, target, now);
    } catch (err) {
      throw wrapError(err, this.path, 'writing a human translation');
    }
    return { source: key, target, updatedAt: now };
  }

  /** Remove every human translation (dwibahasa memory clear-human); returns how many there were. */
  clearHuman(): number {
    this.assertOpen();
    try {
      return this.db.prepare('DELETE FROM human').run().changes;
    } catch (err) {
      throw wrapError(err, this.path, 'clearing human translations');
    }
  }

  /** How many human translations are stored. */
  humanCount(): number {
    this.assertOpen();
    try {
      return (this.db.prepare('SELECT count(*) AS n FROM human').get() as { n: number }).n;
    } catch (err) {
      throw wrapError(err, this.path, 'counting');
    }
  }

  stats(): MemoryStats {
    this.assertOpen();
    try {
      const entries = (this.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
      const models = (this.db.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n;
      return { path: this.path, entries, models, ...this.counters };
    } catch (err) {
      throw wrapError(err, this.path, 'counting');
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private modelId(modelKey: string, create: boolean): number | undefined {
    const cached = this.modelIds.get(modelKey);
    if (cached !== undefined) return cached;
    if (create) this.db.prepare('INSERT OR IGNORE INTO models (key) VALUES (?)').run(modelKey);
    const row = this.db.prepare('SELECT id FROM models WHERE key = ?').get(modelKey) as { id: number } | undefined;
    if (row !== undefined) this.modelIds.set(modelKey, row.id);
    return row?.id;
  }

  private assertOpen(): void {
    if (this.closed) throw new RunStateError(`translation memory ${this.path} is already closed`, this.path);
  }
}

function initSchema(db: Database.Database, file: string): void {
  const tables = (): Set<string> =>
    new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map(
        (r) => r.name,
      ),
    );
  // IMMEDIATE so that two runs creating the same new file do not both create the tables.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    const present = tables();
    if (version === 0 && present.size === 0) {
      db.exec(SCHEMA + HUMAN_SCHEMA);
      db.pragma(`user_version = ${MEMORY_SCHEMA_VERSION}`);
      return;
    }
    if (version === 1 && present.has('entries') && present.has('models') && !present.has('human')) {
      // Migration 1 → 2: machine translations stay as they are; human translations get their table.
      db.exec(HUMAN_SCHEMA);
      db.pragma(`user_version = ${MEMORY_SCHEMA_VERSION}`);
      return;
    }
    if (version === 0) {
      throw new RunStateError(`${file} is an SQLite file but not a dwibahasa translation memory; ${REMEDY}`, file);
    }
    if (version !== MEMORY_SCHEMA_VERSION) {
      throw new RunStateError(
        `translation memory ${file} has schema version ${version}, but this dwibahasa uses version ${MEMORY_SCHEMA_VERSION}; ${REMEDY}`,
        file,
      );
    }
    if (!present.has('entries') || !present.has('models') || !present.has('human')) {
      throw new RunStateError(`${file} is an SQLite file but not a dwibahasa translation memory; ${REMEDY}`, file);
    }
  }).immediate();
}
