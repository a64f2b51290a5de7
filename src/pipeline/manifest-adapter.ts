/**
 * Connects the pipeline to the run manifest (OUT/.dwibahasa/run.json): which files are current
 * and can be skipped, which existing files in OUT this tool wrote, and what each file of this run produced.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { STATE_DIR } from '../runstate/lock.js';
import { RunManifest, isUpToDate } from '../runstate/manifest.js';
import type { ModelInfo } from '../types.js';
import type { FileOutcome, IncrementalCheck, OutputOwnership } from './run.js';

export interface RunManifestHandle extends IncrementalCheck, OutputOwnership {
  readonly warnings: readonly string[];
  record(outcome: FileOutcome): void;
  finish(): Promise<void>;
}

/**
 * Everything besides the model key that changes the English of a file: glossary, keep list,
 * decoding, quality guards, how sentences are cut, q8 batch invariance. A file made with other values is not current.
 */
export function settingsKeyOf(config: Config, modelKey: string): string {
  const glossary = Object.entries(config.glossary).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const english = {
    modelKey,
    // q8 activations quantized per sentence or per batch: slightly different numbers, so other English.
    batchInvariant: config.engine.batch_invariant,
    decoding: config.decoding,
    guards: config.guards,
    segment: config.segment,
    glossary,
  };
  return createHash('sha256').update(JSON.stringify(english)).digest('hex').slice(0, 32);
}

export async function openRunManifest(
  outDir: string,
  opts: { modelKey: string; info: ModelInfo; config: Config; force: boolean },
): Promise<RunManifestHandle> {
  const settingsKey = settingsKeyOf(opts.config, opts.modelKey);
  const { manifest, warning } = await RunManifest.load(outDir, {
    model: { id: opts.info.id, hash: opts.info.hash, dtype: opts.info.dtype, decoding: opts.info.decoding },
    // The glossary itself can hold 100,000 terms; the manifest, saved every second, keeps its size and key.
    settings: {
      queue: opts.config.queue,
      segment: opts.config.segment,
      guards: opts.config.guards,
      glossary: { terms: Object.keys(opts.config.glossary).length },
      settingsKey,
    },
  });
  const formats = opts.config.output.formats;
  const rel = (p: string): string => path.relative(outDir, p).split(path.sep).join('/');
  // Every output any run recorded, or claimed just before writing it: only these may be replaced.
  const owned = new Set<string>();
  for (const entry of Object.values(manifest.snapshot().files)) for (const o of entry.outputs) owned.add(o);
  const journal = new ClaimJournal(path.join(outDir, STATE_DIR, CLAIMS_FILE));
  for (const o of journal.earlier()) owned.add(o);
  return {
    warnings: warning ? [warning] : [],
    isUpToDate(relOut, inputSha256) {
      if (opts.force) return false;
      return isUpToDate(
        manifest.get(relOut),
        inputSha256,
        opts.modelKey,
        formats,
        (outs) => outs.every((o) => existsSync(path.join(outDir, o))),
        settingsKey,
      );
    },
    isOurs: (absPath) => owned.has(rel(absPath)),
    claim: async (absPaths) => {
      const fresh = absPaths.map(rel).filter((p) => !owned.has(p));
      for (const p of fresh) owned.add(p);
      await journal.append(fresh);
    },
    record(o) {
      if (o.relOut === '') return;
      if (o.status === 'skipped') {
        manifest.markSkipped(o.relOut);
        return;
      }
      // A failed file leaves its earlier outputs in place (outputs are written all or none): still ours.
      const outputs = o.outputs.length > 0 ? o.outputs.map(rel) : o.status === 'failed' ? (manifest.get(o.relOut)?.outputs ?? []) : [];
      for (const out of outputs) owned.add(out);
      manifest.update(o.relOut, {
        input: o.input,
        inputSha256: o.inputSha256 ?? '',
        status: o.status,
        outputs: [...outputs],
        ...(o.failures.length > 0 ? { failures: [...o.failures] } : {}),
        ms: Math.round(o.ms),
        segments: o.segments,
        modelKey: opts.modelKey,
        settingsKey,
        formats,
      });
    },
    finish: async () => {
      await manifest.finish();
      // Everything claimed is in the saved manifest now (as an output, or was never written).
      await journal.clear();
    },
  };
}

export const CLAIMS_FILE = 'claimed-outputs.log';

/**
 * Output paths claimed before they are written, one JSON string a line, appended and synced: the
 * manifest is saved only now and then, and a run killed in between must not take its own outputs
 * for the user's on the rerun. Emptied when a run's manifest is saved at the end.
 */
class ClaimJournal {
  private handle: Promise<FileHandle> | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  earlier(): string[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const line of text.split('\n')) {
      try {
        const v: unknown = JSON.parse(line);
        if (typeof v === 'string') out.push(v);
      } catch {
        // A line cut short by a crash claims nothing.
      }
    }
    return out;
  }

  append(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return this.chain;
    const text = paths.map((p) => JSON.stringify(p) + '\n').join('');
    const next = this.chain.then(async () => {
      this.handle ??= mkdir(path.dirname(this.file), { recursive: true }).then(() => open(this.file, 'a'));
      const fh = await this.handle.catch((err: unknown) => {
        this.handle = undefined;
        throw err;
      });
      await fh.appendFile(text, 'utf8');
      await fh.sync();
    });
    // One failed append (disk full) fails its file; the next files try again.
    this.chain = next.catch(() => undefined);
    return next;
  }

  async clear(): Promise<void> {
    await this.chain;
    const fh = await this.handle?.catch(() => undefined);
    await fh?.close().catch(() => undefined);
    this.handle = undefined;
    if (!existsSync(this.file)) return;
    const empty = await open(this.file, 'w').catch(() => undefined);
    await empty?.close();
  }
}
