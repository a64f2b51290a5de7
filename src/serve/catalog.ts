/**
 * The files a review server offers: the output folder's run manifest (or, without one, the
 * `.id-en.json` files found in it), each checked to lie inside the folder. The browser only ever
 * names a file by the key this catalog gave it; no path from a request is joined to anything.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { humanKey } from '../memory/memory.js';
import { formatOf } from '../parse/formats.js';
import { MANIFEST_FILE } from '../runstate/manifest.js';
import { STATE_DIR } from '../runstate/lock.js';
import { OUTPUT_FORMATS, type DocumentFormat, type OutputFormat, type SegmentFlag } from '../types.js';
import { outputPaths } from '../write/formats.js';
import { readJsonDocument, type ReviewDocument } from './document.js';

export interface CatalogFile {
  /** Output base relative to OUT, POSIX separators: the file's name on the page and in requests. */
  readonly name: string;
  /** Absolute output base (OUT/a/b/x). */
  readonly base: string;
  readonly status: string;
  readonly format: DocumentFormat;
  /** Formats to write back on a save: those the run made. */
  readonly formats: readonly OutputFormat[];
  /**
   * The input as the run manifest records it (absolute path, sha256 of its bytes): a web page's
   * English page (x.en.html) is made again from it on a save. Absent without a manifest.
   */
  readonly input?: { readonly path: string; readonly sha256: string };
  /** Why the file cannot be reviewed (no JSON output, outside the folder…), when it cannot. */
  readonly problem?: string;
}

export interface FileSummary {
  readonly name: string;
  readonly status: string;
  readonly sentences: number;
  readonly flagged: number;
  readonly flags: Partial<Record<SegmentFlag, number>>;
  readonly failed: number;
  readonly reviewed: number;
  readonly problem?: string;
}

/** Where a source sentence occurs: file name, block and segment index. */
export interface Occurrence {
  readonly name: string;
  readonly block: number;
  readonly segment: number;
}

const JSON_EXT = '.id-en.json';

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** The real location of `p` stays in the folder: no `..`, no symbolic link (of the file or a folder) leading out. */
async function safeUnder(root: string, p: string): Promise<string | undefined> {
  if (!inside(root, p)) return 'outside the output folder';
  try {
    const real = await realpath(p);
    const realRoot = await realpath(root);
    if (!inside(realRoot, real)) return 'a symbolic link out of the output folder';
    if (!(await stat(real)).isFile()) return 'not a regular file';
    return undefined;
  } catch (err) {
    return errCode(err) === 'ENOENT' ? 'its JSON output is missing' : `cannot be read (${errCode(err) ?? String(err)})`;
  }
}

/**
 * Without a manifest, the format of the input a JSON output was made from: its `source.path`
 * (the input's path relative to the folder translated) keeps the input's extension.
 */
async function formatFromJson(jsonPath: string): Promise<DocumentFormat> {
  try {
    const v = JSON.parse(await readFile(jsonPath, 'utf8')) as { source?: { path?: unknown } };
    if (typeof v.source?.path === 'string') return formatOf(v.source.path);
  } catch {
    // Unreadable or not JSON: load() reports that, with the file's name, when the file is opened.
  }
  return 'text';
}

interface ManifestLike {
  files?: Record<string, { status?: unknown; formats?: unknown; outputs?: unknown; input?: unknown; inputSha256?: unknown }>;
}

export class Catalog {
  private files = new Map<string, CatalogFile>();
  private readonly cache = new Map<string, { stamp: string; review: ReviewDocument }>();

  constructor(readonly outDir: string) {}

  /** Read the folder's list again (a translate run may have added or rewritten files). */
  async refresh(): Promise<void> {
    const manifest = await this.readManifest();
    const found = manifest ?? (await this.scan());
    const next = new Map<string, CatalogFile>();
    for (const f of found) next.set(f.name, f);
    this.files = next;
  }

  list(): CatalogFile[] {
    return [...this.files.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): CatalogFile | undefined {
    return this.files.get(name);
  }

  jsonPath(file: CatalogFile): string {
    return file.base + JSON_EXT;
  }

  /** The document of a listed file, read again whenever the JSON on disk changed. */
  async load(file: CatalogFile): Promise<ReviewDocument> {
    if (file.problem !== undefined) throw new Error(`${file.name}: ${file.problem}`);
    const json = this.jsonPath(file);
    const why = await safeUnder(this.outDir, json);
    if (why !== undefined) throw new Error(`${file.name}: ${why}`);
    const st = await stat(json);
    const stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    const hit = this.cache.get(file.name);
    if (hit !== undefined && hit.stamp === stamp) return hit.review;
    const review = readJsonDocument(await readFile(json, 'utf8'), json, file.format);
    this.cache.set(file.name, { stamp, review });
    return review;
  }

  async summary(file: CatalogFile): Promise<FileSummary> {
    const base = { name: file.name, status: file.status, sentences: 0, flagged: 0, flags: {}, failed: 0, reviewed: 0 };
    let review: ReviewDocument;
    try {
      review = await this.load(file);
    } catch (err) {
      return { ...base, problem: file.problem ?? (err instanceof Error ? err.message : String(err)) };
    }
    const flags: Partial<Record<SegmentFlag, number>> = {};
    let sentences = 0, flagged = 0, failed = 0, reviewed = 0;
    for (const b of review.doc.blocks) {
      if (!b.translate) continue;
      for (const s of b.segments) {
        sentences++;
        if (s.flags !== undefined && s.flags.length > 0) flagged++;
        for (const f of s.flags ?? []) flags[f] = (flags[f] ?? 0) + 1;
        if (s.error !== undefined) failed++;
        if (s.reviewed !== undefined) reviewed++;
      }
    }
    return { ...base, sentences, flagged, flags, failed, reviewed };
  }

  /** Every occurrence of each source sentence (by humanKey) across the readable files. */
  async occurrences(): Promise<Map<string, Occurrence[]>> {
    const index = new Map<string, Occurrence[]>();
    for (const file of this.list()) {
      if (file.problem !== undefined) continue;
      let review: ReviewDocument;
      try {
        review = await this.load(file);
      } catch {
        continue;
      }
      review.doc.blocks.forEach((b, block) => {
        if (!b.translate || review.leading[block] === undefined) return;
        b.segments.forEach((s, segment) => {
          const key = humanKey(s.source);
          const list = index.get(key);
          if (list) list.push({ name: file.name, block, segment });
          else index.set(key, [{ name: file.name, block, segment }]);
        });
      });
    }
    return index;
  }

  private async readManifest(): Promise<CatalogFile[] | undefined> {
    let data: ManifestLike;
    try {
      data = JSON.parse(await readFile(path.join(this.outDir, STATE_DIR, MANIFEST_FILE), 'utf8')) as ManifestLike;
    } catch {
      return undefined;
    }
    if (typeof data !== 'object' || data === null || typeof data.files !== 'object' || data.files === null) return undefined;
    const out: CatalogFile[] = [];
    for (const [name, e] of Object.entries(data.files)) {
      if (typeof e !== 'object' || e === null) continue;
      const formats = Array.isArray(e.formats) ? OUTPUT_FORMATS.filter((f) => (e.formats as unknown[]).includes(f)) : [];
      const outputs = Array.isArray(e.outputs) ? e.outputs.filter((o): o is string => typeof o === 'string') : [];
      // The input's extension decides its format, as it did for the run (formatOf is the pipeline's rule);
      // the outputs are the fallback for an entry without an input path.
      const format: DocumentFormat =
        typeof e.input === 'string' && e.input !== ''
          ? formatOf(e.input)
          : outputs.some((o) => o.endsWith('.en.html'))
            ? 'html'
            : outputs.some((o) => o.endsWith('.en.md'))
              ? 'markdown'
              : 'text';
      const input = typeof e.input === 'string' && typeof e.inputSha256 === 'string' ? { path: e.input, sha256: e.inputSha256 } : undefined;
      out.push(await this.entry(name, typeof e.status === 'string' ? e.status : 'unknown', format, formats, input));
    }
    return out;
  }

  /** Without a manifest: every `.id-en.json` under the folder, not following symbolic links. */
  private async scan(): Promise<CatalogFile[]> {
    const out: CatalogFile[] = [];
    const walk = async (dir: string): Promise<void> => {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return;
      }
      for (const n of names.sort()) {
        const p = path.join(dir, n);
        const st = await lstat(p).catch(() => undefined);
        if (st === undefined || st.isSymbolicLink()) continue;
        if (st.isDirectory() && n !== STATE_DIR) await walk(p);
        else if (st.isFile() && n.endsWith(JSON_EXT)) {
          const name = path.relative(this.outDir, p.slice(0, -JSON_EXT.length)).split(path.sep).join('/');
          const format = await formatFromJson(p);
          const formats: OutputFormat[] = [];
          for (const [f, file] of Object.entries(outputPaths(p.slice(0, -JSON_EXT.length), format, OUTPUT_FORMATS))) {
            if (await stat(file).then((s) => s.isFile(), () => false)) formats.push(f as OutputFormat);
          }
          out.push(await this.entry(name, 'done', format, formats));
        }
      }
    };
    await walk(this.outDir);
    return out;
  }

  private async entry(
    name: string,
    status: string,
    format: DocumentFormat,
    formats: readonly OutputFormat[],
    input?: CatalogFile['input'],
  ): Promise<CatalogFile> {
    const base = path.resolve(this.outDir, ...name.split('/'));
    const file: CatalogFile = { name, base, status, format, formats, ...(input !== undefined ? { input } : {}) };
    if (name === '' || name.includes('\0') || !inside(this.outDir, base)) return { ...file, problem: 'outside the output folder' };
    if (!formats.includes('json')) return { ...file, problem: 'the run wrote no JSON output for it (translate again with json in --formats to review it)' };
    const why = await safeUnder(this.outDir, base + JSON_EXT);
    return why === undefined ? file : { ...file, problem: why };
  }
}
