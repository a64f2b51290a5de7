/**
 * `--dry-run`: what a run would translate, without loading the model's ONNX sessions and without
 * writing anything to the output folder. The files are found, read, parsed and segmented exactly
 * as a run does (same functions), the run manifest says which are unchanged, and the translation
 * memory (opened read-only, when it exists) says how many segments it already holds.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { discover, isDiscoverNote, isDiscoverProblem } from '../discover/walk.js';
import { TranslationMemory } from '../memory/memory.js';
import { modelKeyOf } from '../memory/model-key.js';
import { prepareEngineOptions } from '../translate/open-engine.js';
import { MarianEngine } from '../translate/marian-engine.js';
import type { ModelInfo } from '../types.js';
import { openRunManifest } from './manifest-adapter.js';
import { outputBaseFor, OutputNames } from './outputs.js';
import { resolveRunConfig, type RunConfigOptions } from './run-config.js';
import { readSource, segmentDocument } from './read-source.js';

export interface DryRunFile {
  readonly input: string;
  /** translate: would be translated; unchanged: its outputs are current; failed: cannot be read. */
  readonly status: 'translate' | 'unchanged' | 'failed';
  readonly segments: number;
  /** Of its segments, how many the translation memory already holds. */
  readonly inMemory: number;
  readonly failure?: string;
}

export interface DryRunResult {
  readonly files: readonly DryRunFile[];
  /** Segments of the files to translate, repeats included. */
  readonly segments: number;
  /** Distinct segments among them. */
  readonly distinct: number;
  /** Distinct segments the memory already holds: the model would translate `distinct - inMemory` at most. */
  readonly inMemory: number;
  readonly memoryPath: string | undefined;
  readonly model: ModelInfo;
}

export async function planTranslation(options: RunConfigOptions & { readonly force?: boolean }): Promise<DryRunResult> {
  const { config, baseDir, outDir, memoryPath } = resolveRunConfig(options);
  const engine = await MarianEngine.inspect(await prepareEngineOptions(config, { baseDir, fetch: false }));
  const modelKey = modelKeyOf(engine.info);
  const memory = config.memory.enabled && existsSync(memoryPath) ? TranslationMemory.open(memoryPath, { readOnly: true }) : undefined;
  try {
    const manifest = existsSync(path.join(outDir, '.dwibahasa'))
      ? await openRunManifest(outDir, { modelKey, info: engine.info, config, force: Boolean(options.force) })
      : undefined;
    const names = new OutputNames();
    const files: DryRunFile[] = [];
    const seen = new Set<string>();
    let segments = 0;
    let inMemory = 0;
    for await (const item of discover(options.inputs, { include: config.input.include, exclude: config.input.exclude, skip: [outDir] })) {
      if (isDiscoverNote(item)) continue;
      if (isDiscoverProblem(item)) {
        files.push({ input: item.path, status: 'failed', segments: 0, inMemory: 0, failure: item.reason });
        continue;
      }
      const base = names.claim(outputBaseFor(item, outDir), item);
      const source = await readSource(item, base, { formats: config.output.formats, maxFileMb: config.input.max_file_mb, html: config.input.html });
      if ('failure' in source) {
        files.push({ input: item.absPath, status: 'failed', segments: 0, inMemory: 0, failure: source.failure });
        continue;
      }
      if (manifest?.isUpToDate(path.relative(outDir, base), source.sha256, source.expected)) {
        files.push({ input: item.absPath, status: 'unchanged', segments: 0, inMemory: 0 });
        continue;
      }
      const { units } = segmentDocument(source.doc, config, engine, memory);
      const distinct = [...new Set(units)];
      const found = memory?.getMany(modelKey, distinct) ?? new Map<string, string>();
      for (const u of distinct) {
        if (seen.has(u)) continue;
        seen.add(u);
        if (found.has(u)) inMemory++;
      }
      segments += units.length;
      files.push({ input: item.absPath, status: 'translate', segments: units.length, inMemory: units.filter((u) => found.has(u)).length });
    }
    return { files, segments, distinct: seen.size, inMemory, memoryPath: config.memory.enabled ? memoryPath : undefined, model: engine.info };
  } finally {
    memory?.close();
  }
}
