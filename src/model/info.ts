/**
 * `model info`: what models are installed, which dtypes each can run, and a short hash that
 * identifies a model's files (part of every translation-memory key).
 */
import { createHash } from 'node:crypto';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ModelError, describeError } from '../errors.js';
import type { Dtype } from '../types.js';
import { DEFAULT_MODEL_ID, JSON_FILES, fetchCommand, requiredFiles } from './files.js';
import { formatBytes } from '../progress.js';

export interface ModelFile {
  /** POSIX path relative to the model folder. */
  readonly name: string;
  readonly bytes: number;
}

export interface InstalledModel {
  /** Folder relative to the models root, POSIX separators: the model id when fetched by id. */
  readonly id: string;
  readonly dir: string;
  readonly files: readonly ModelFile[];
  /** Dtypes whose required files are all present and non-empty. */
  readonly complete: readonly Dtype[];
  /** Downloads that were cut (FILE.part): `model fetch` resumes them. */
  readonly partial: readonly string[];
  /** config.json has a `dwibahasa_test_model` field: a generated model for tests, not for real use. */
  readonly testModel: boolean;
  /** config.json's model_type, when readable. */
  readonly modelType: string | undefined;
  readonly totalBytes: number;
}

const MAX_DEPTH = 3;

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function subdirs(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    // Symbolic links to model folders are followed; the depth limit stops loops.
    if (e.isDirectory() || (e.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isDirectory())) {
      out.push(e.name);
    }
  }
  return out.sort();
}

async function listFiles(dir: string, rel = ''): Promise<ModelFile[]> {
  const out: ModelFile[] = [];
  let entries;
  try {
    entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const name = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, name)));
    else if (e.isFile()) out.push({ name, bytes: (await stat(path.join(dir, name))).size });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function describeModel(root: string, dir: string): Promise<InstalledModel> {
  const files = await listFiles(dir);
  const sizes = new Map(files.map((f) => [f.name, f.bytes]));
  const complete = (['q8', 'fp32'] as const).filter((d) => requiredFiles(d).every((f) => (sizes.get(f) ?? 0) > 0));
  let config: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null) config = parsed as Record<string, unknown>;
  } catch {
    // Listed anyway: `model info` is where a user looks when something is broken.
  }
  const modelType = config['model_type'];
  return {
    id: path.relative(root, dir).split(path.sep).join('/'),
    dir,
    files,
    complete,
    partial: files.filter((f) => f.name.endsWith('.part')).map((f) => f.name),
    testModel: 'dwibahasa_test_model' in config,
    modelType: typeof modelType === 'string' ? modelType : undefined,
    totalBytes: files.reduce((s, f) => s + f.bytes, 0),
  };
}

/** Every folder with a config.json under modelsRoot, up to three levels down (owner/name/variant). */
export async function modelInfo(modelsRoot: string): Promise<InstalledModel[]> {
  const found: InstalledModel[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 0 && (await isFile(path.join(dir, 'config.json')))) {
      found.push(await describeModel(modelsRoot, dir));
      return; // a model's own sub-folders (onnx/) are not models
    }
    if (depth === MAX_DEPTH) return;
    for (const name of await subdirs(dir)) await walk(path.join(dir, name), depth + 1);
  };
  await walk(modelsRoot, 0);
  return found;
}

/** A readable listing: one header line per model, then its files with sizes. */
export function formatModelInfo(models: readonly InstalledModel[], modelsRoot = 'models'): string {
  if (models.length === 0) {
    return `No models under ${modelsRoot}. Download one with: ${fetchCommand(DEFAULT_MODEL_ID, 'q8')}\n`;
  }
  const lines: string[] = [];
  for (const m of models) {
    const notes = [
      m.modelType ? `model_type ${m.modelType}` : 'no readable config.json model_type',
      m.complete.length > 0 ? `complete: ${m.complete.join(', ')}` : 'incomplete: no dtype has all its files',
      formatBytes(m.totalBytes),
    ];
    if (m.testModel) notes.push('TEST MODEL (generated, translations are meaningless)');
    if (m.partial.length > 0) notes.push(`partial downloads: ${m.partial.length} (model fetch resumes them)`);
    lines.push(`${m.id}  (${notes.join('; ')})`, `  folder: ${m.dir}`);
    const width = Math.max(...m.files.map((f) => f.name.length), 0);
    for (const f of m.files) lines.push(`  ${f.name.padEnd(width)}  ${formatBytes(f.bytes).padStart(9)}`);
    lines.push('');
  }
  return lines.join('\n');
}

const EDGE = 1024 * 1024;

/**
 * 16 hex digits identifying the model: sha256 over each required file's name and size, the full
 * JSON files, and the first and last MiB of each ONNX file. Reading only the edges keeps this fast
 * for 300 MB weights while any re-export or re-quantisation (which changes sizes and headers) changes it.
 */
export async function hashModelFiles(dir: string, dtype: Dtype): Promise<string> {
  const h = createHash('sha256');
  for (const name of requiredFiles(dtype)) {
    const p = path.join(dir, ...name.split('/'));
    let fh;
    try {
      fh = await open(p, 'r');
    } catch (err) {
      throw new ModelError(`cannot read ${p} to identify the model (${describeError(err)})`, dir, { cause: err });
    }
    try {
      const size = (await fh.stat()).size;
      h.update(`${name}\0${size}\0`);
      const whole = JSON_FILES.includes(name) || size <= 2 * EDGE;
      const ranges: Array<[number, number]> = whole ? [[0, size]] : [[0, EDGE], [size - EDGE, EDGE]];
      for (const [pos, len] of ranges) {
        const buf = Buffer.alloc(len);
        let done = 0;
        while (done < len) {
          const { bytesRead } = await fh.read(buf, done, len - done, pos + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        h.update(buf.subarray(0, done));
      }
    } finally {
      await fh.close();
    }
  }
  return h.digest('hex').slice(0, 16);
}
