/**
 * The run manifest, `OUT/.dwibahasa/run.json`: what each input produced, with which model and settings.
 * It drives incremental reruns (unchanged inputs are skipped) and tells users what happened.
 *
 * Saves are throttled (a run may finish dozens of files a second) and atomic (temp file + rename in the
 * same folder), so a crash leaves either the previous or the new manifest, never half of one.
 */
import { access, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { RunStateError, errorCode } from '../errors.js';
import type { Dtype, FileStatus, OutputFormat } from '../types.js';
import { OUTPUT_FORMATS } from '../types.js';
import { writeFileAtomic } from '../write/atomic.js';
import { STATE_DIR } from './lock.js';

export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = 'run.json';

export interface ManifestModel {
  readonly id: string;
  readonly hash: string;
  readonly dtype: Dtype;
  readonly decoding: Readonly<Record<string, number | boolean | string>>;
}

export interface ManifestFileEntry {
  /** The input file's path as given/found. */
  readonly input: string;
  readonly inputSha256: string;
  /** 'skipped': up to date from an earlier run; the other fields are that run's. */
  readonly status: FileStatus;
  /** Output files written, relative to OUT (POSIX separators). */
  readonly outputs: readonly string[];
  /** Why the file (or some of its segments) failed; a file with failures is never up to date. */
  readonly failures?: readonly string[];
  readonly ms: number;
  readonly segments: number;
  /** Model key the outputs were made with (see memory/model-key.ts). */
  readonly modelKey: string;
  /**
   * Hash of every other setting that changes the English (glossary, keep list, decoding, guards,
   * segmenting); entries without one (older manifests) are never up to date.
   */
  readonly settingsKey?: string;
  readonly formats: readonly OutputFormat[];
}

export interface ManifestData {
  readonly version: number;
  readonly model: ManifestModel;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Keyed by the output base path relative to OUT (e.g. "news/article"). */
  readonly files: Readonly<Record<string, ManifestFileEntry>>;
}

export interface LoadManifestOptions {
  readonly model: ManifestModel;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Least time between two throttled saves. Default 1000 ms. */
  readonly saveIntervalMs?: number;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function validEntry(v: unknown): v is ManifestFileEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.input === 'string' &&
    typeof e.inputSha256 === 'string' &&
    (e.status === 'done' || e.status === 'failed' || e.status === 'skipped') &&
    isStringArray(e.outputs) &&
    (e.failures === undefined || isStringArray(e.failures)) &&
    typeof e.ms === 'number' &&
    typeof e.segments === 'number' &&
    typeof e.modelKey === 'string' &&
    (e.settingsKey === undefined || typeof e.settingsKey === 'string') &&
    isStringArray(e.formats) &&
    e.formats.every((f) => (OUTPUT_FORMATS as readonly string[]).includes(f))
  );
}

/** Parse a manifest's files; throws with a short reason when the file as a whole is unusable. */
function parseFiles(text: string): { files: Record<string, ManifestFileEntry>; dropped: number } {
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
  const o = v as Record<string, unknown>;
  if (o.version !== MANIFEST_VERSION) throw new Error(`version ${String(o.version)}, expected ${MANIFEST_VERSION}`);
  if (typeof o.files !== 'object' || o.files === null || Array.isArray(o.files)) throw new Error('no "files" object');
  const files: Record<string, ManifestFileEntry> = {};
  let dropped = 0;
  for (const [key, entry] of Object.entries(o.files)) {
    if (validEntry(entry)) files[key] = entry;
    else dropped++;
  }
  return { files, dropped };
}

/** True when every output path (relative to `outDir`) exists. */
export async function outputsExist(outDir: string, outputs: readonly string[]): Promise<boolean> {
  const checks = await Promise.all(outputs.map((o) => access(path.join(outDir, o)).then(() => true, () => false)));
  return checks.every(Boolean);
}

/**
 * Whether a file can be skipped: finished earlier without failures, from the same input bytes, with the
 * same model key, the same settings key (when one is given) and the same set of formats, and all its
 * outputs still there.
 */
export function isUpToDate(
  entry: ManifestFileEntry | undefined,
  inputSha256: string,
  modelKey: string,
  formats: readonly OutputFormat[],
  outputsExist: boolean | ((outputs: readonly string[]) => boolean),
  settingsKey?: string,
): boolean {
  if (entry === undefined) return false;
  if (entry.status === 'failed' || (entry.failures !== undefined && entry.failures.length > 0)) return false;
  if (entry.inputSha256 !== inputSha256 || entry.modelKey !== modelKey) return false;
  if (settingsKey !== undefined && entry.settingsKey !== settingsKey) return false;
  const want = new Set(formats);
  const had = new Set(entry.formats);
  if (want.size !== had.size || [...want].some((f) => !had.has(f))) return false;
  if (entry.outputs.length === 0) return false;
  return typeof outputsExist === 'function' ? outputsExist(entry.outputs) : outputsExist;
}

function compareCodePoints(a: string, b: string): number {
  // UTF-8 byte order is code-point order; keeps the saved key order stable and diff-friendly.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export class RunManifest {
  readonly path: string;
  private readonly files: Map<string, ManifestFileEntry>;
  private readonly model: ManifestModel;
  private readonly settings: Readonly<Record<string, unknown>>;
  private readonly startedAt = new Date().toISOString();
  private finishedAt: string | undefined;
  private readonly saveIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private saveError: unknown;

  private constructor(file: string, files: Map<string, ManifestFileEntry>, opts: LoadManifestOptions) {
    this.path = file;
    this.files = files;
    this.model = opts.model;
    this.settings = opts.settings;
    this.saveIntervalMs = opts.saveIntervalMs ?? 1000;
  }

  /**
   * Load the previous run's manifest (entries are kept for files this run does not touch) and start
   * a new run over it. A missing file is a first run; an unreadable one is moved aside and reported in
   * `warning`, and the run starts from an empty manifest.
   */
  static async load(outDir: string, opts: LoadManifestOptions): Promise<{ manifest: RunManifest; warning?: string }> {
    const file = path.join(outDir, STATE_DIR, MANIFEST_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return { manifest: new RunManifest(file, new Map(), opts) };
      const why = err instanceof Error ? err.message : String(err);
      return {
        manifest: new RunManifest(file, new Map(), opts),
        warning: `cannot read run manifest ${file} (${why}); every input will be processed again`,
      };
    }
    try {
      const { files, dropped } = parseFiles(text);
      const manifest = new RunManifest(file, new Map(Object.entries(files)), opts);
      if (dropped === 0) return { manifest };
      return {
        manifest,
        warning: `run manifest ${file}: ${dropped} malformed file entr${dropped === 1 ? 'y' : 'ies'} ignored; those inputs will be processed again`,
      };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const aside = `${file}.bad-${stamp}`;
      const kept = await rename(file, aside).then(
        () => `; the old file is kept as ${aside}`,
        () => '',
      );
      return {
        manifest: new RunManifest(file, new Map(), opts),
        warning:
          `run manifest ${file} is unusable (${why}); starting a fresh one, so every input is processed again ` +
          `(the translation memory still spares the model work)${kept}`,
      };
    }
  }

  /** The entry recorded for an output base, by this run or an earlier one. */
  get(relOutBase: string): ManifestFileEntry | undefined {
    return this.files.get(relOutBase);
  }

  /** Record a file's outcome; saved soon (throttled), and at the latest by `finish()`. */
  update(relOutBase: string, entry: ManifestFileEntry): void {
    this.files.set(relOutBase, entry);
    this.schedule();
  }

  /** Record that an up-to-date file was skipped, keeping what the earlier run made. */
  markSkipped(relOutBase: string): void {
    const prev = this.files.get(relOutBase);
    if (prev === undefined) throw new RunStateError(`run manifest has no earlier entry for ${relOutBase} to keep`, this.path);
    this.update(relOutBase, { ...prev, status: 'skipped', ms: 0 });
  }

  snapshot(): ManifestData {
    const keys = [...this.files.keys()].sort(compareCodePoints);
    const files: Record<string, ManifestFileEntry> = {};
    for (const k of keys) files[k] = this.files.get(k) as ManifestFileEntry;
    return {
      version: MANIFEST_VERSION,
      model: this.model,
      settings: this.settings,
      startedAt: this.startedAt,
      ...(this.finishedAt !== undefined ? { finishedAt: this.finishedAt } : {}),
      files,
    };
  }

  /** Save now (after any save in progress). Throws RunStateError if this or an earlier throttled save failed. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.enqueueSave();
    if (this.saveError !== undefined) {
      const err = this.saveError;
      this.saveError = undefined;
      const why = err instanceof Error ? err.message : String(err);
      throw new RunStateError(`cannot save run manifest ${this.path}: ${why}`, this.path, { cause: err });
    }
  }

  /** Stamp the end time and make the final save. */
  async finish(): Promise<void> {
    this.finishedAt = new Date().toISOString();
    await this.flush();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.enqueueSave();
    }, this.saveIntervalMs);
    // A pending save must not keep the process alive; finish() does the last one.
    this.timer.unref();
  }

  private enqueueSave(): Promise<void> {
    this.chain = this.chain.then(() =>
      this.writeAtomically().catch((err: unknown) => {
        this.saveError = err;
      }),
    );
    return this.chain;
  }

  private async writeAtomically(): Promise<void> {
    // The writer every output uses: its temp names are the ones a later run sweeps after a crash.
    await writeFileAtomic(this.path, `${JSON.stringify(this.snapshot(), null, 2)}\n`);
  }
}
