/**
 * The benchmark model: the generated `full` test model (opus-mt-id-en dimensions, random
 * weights, "</s>" forced at input length), cached under bench/.cache/ keyed by its generator
 * options. A folder counts as complete only when its marker lists every file at its written size,
 * so a generation cut short (Ctrl-C, full disk) is regenerated rather than benchmarked.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateTestModel, TEST_MODEL_VERSION, type GenerateTestModelOptions } from '../testmodel/generate.js';

export const MODEL_OPTIONS = { preset: 'full', dtype: 'both', seed: 0, eosAtInputLength: true } as const satisfies Omit<GenerateTestModelOptions, 'outDir'>;

const MARKER = '.bench-complete.json';

interface Marker {
  /** The generator's TEST_MODEL_VERSION: a folder written by an older generator is regenerated. */
  readonly version: number;
  readonly options: typeof MODEL_OPTIONS;
  readonly files: Record<string, number>;
}

export function modelFolderName(options: typeof MODEL_OPTIONS = MODEL_OPTIONS): string {
  return `model-${options.preset}-seed${options.seed}-${options.dtype}${options.eosAtInputLength ? '-eos' : ''}`;
}

function listFiles(dir: string, rel = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    if (name === MARKER) continue;
    const r = rel === '' ? name : `${rel}/${name}`;
    const st = statSync(path.join(dir, r));
    if (st.isDirectory()) Object.assign(out, listFiles(dir, r));
    else out[r] = st.size;
  }
  return out;
}

/** True when `dir` holds a finished generation with exactly these options. */
export function isModelComplete(dir: string, options: typeof MODEL_OPTIONS = MODEL_OPTIONS): boolean {
  let marker: Marker;
  try {
    marker = JSON.parse(readFileSync(path.join(dir, MARKER), 'utf8')) as Marker;
  } catch {
    return false;
  }
  if (marker.version !== TEST_MODEL_VERSION || JSON.stringify(marker.options) !== JSON.stringify(options)) return false;
  const entries = Object.entries(marker.files ?? {});
  if (entries.length === 0) return false;
  return entries.every(([f, size]) => {
    try {
      return statSync(path.join(dir, f)).size === size;
    } catch {
      return false;
    }
  });
}

export interface EnsuredModel {
  readonly dir: string;
  readonly generated: boolean;
  readonly ms: number;
}

/** The model folder under `cacheDir`, generated first when missing or incomplete. */
export async function ensureModel(cacheDir: string, log: (line: string) => void): Promise<EnsuredModel> {
  const dir = path.join(cacheDir, modelFolderName());
  const started = performance.now();
  if (isModelComplete(dir)) return { dir, generated: false, ms: performance.now() - started };
  log(`generating the ${MODEL_OPTIONS.preset} test model into ${dir} (once; reused by later runs)`);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await generateTestModel({ ...MODEL_OPTIONS, outDir: tmp });
    const marker: Marker = { version: TEST_MODEL_VERSION, options: MODEL_OPTIONS, files: listFiles(tmp) };
    writeFileSync(path.join(tmp, MARKER), JSON.stringify(marker, null, 2) + '\n');
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const ms = performance.now() - started;
  log(`model generated in ${(ms / 1000).toFixed(1)} s`);
  return { dir, generated: true, ms };
}
