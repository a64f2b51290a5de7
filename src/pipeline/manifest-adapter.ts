/**
 * Connects the pipeline to the run manifest (OUT/.dwibahasa/run.json): which files are current
 * and can be skipped, and what each file of this run produced.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { RunManifest, isUpToDate } from '../runstate/manifest.js';
import type { ModelInfo } from '../types.js';
import type { FileOutcome, IncrementalCheck } from './run.js';

export interface RunManifestHandle extends IncrementalCheck {
  readonly warnings: readonly string[];
  record(outcome: FileOutcome): void;
  finish(): Promise<void>;
}

export async function openRunManifest(
  outDir: string,
  opts: { modelKey: string; info: ModelInfo; config: Config; force: boolean },
): Promise<RunManifestHandle> {
  const { manifest, warning } = await RunManifest.load(outDir, {
    model: { id: opts.info.id, hash: opts.info.hash, dtype: opts.info.dtype, decoding: opts.info.decoding },
    settings: { queue: opts.config.queue, segment: opts.config.segment, guards: opts.config.guards, glossary: opts.config.glossary },
  });
  const formats = opts.config.output.formats;
  const rel = (p: string): string => path.relative(outDir, p).split(path.sep).join('/');
  return {
    warnings: warning ? [warning] : [],
    isUpToDate(relOut, inputSha256) {
      if (opts.force) return false;
      return isUpToDate(manifest.get(relOut), inputSha256, opts.modelKey, formats, (outs) =>
        outs.every((o) => existsSync(path.join(outDir, o))),
      );
    },
    record(o) {
      if (o.relOut === '') return;
      if (o.status === 'skipped') {
        manifest.markSkipped(o.relOut);
        return;
      }
      manifest.update(o.relOut, {
        input: o.input,
        inputSha256: o.inputSha256 ?? '',
        status: o.status,
        outputs: o.outputs.map(rel),
        ...(o.failures.length > 0 ? { failures: [...o.failures] } : {}),
        ms: Math.round(o.ms),
        segments: o.segments,
        modelKey: opts.modelKey,
        formats,
      });
    },
    finish: () => manifest.finish(),
  };
}
