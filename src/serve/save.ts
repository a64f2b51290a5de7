/**
 * Saving a person's English for a sentence: into the translation memory first (so every later run
 * keeps it), then into every file of the folder with the same source sentence, each file's outputs
 * rendered again by the pipeline's writers and written atomically, the JSON last (it is what the
 * page and the next save read, so it only says "reviewed" once the other outputs say so too).
 *
 * Saves run one at a time and under the folder's run lock: a translate run and a save never write
 * the same folder at once, and a save whose sentence changed since the page showed it is refused.
 */
import { humanKey, TranslationMemory } from '../memory/memory.js';
import { acquireLock } from '../runstate/lock.js';
import { describeError, RunStateError } from '../errors.js';
import { writeOutputs } from '../write/formats.js';
import type { Catalog } from './catalog.js';
import { HttpError } from './body.js';
import { applyEdit } from './document.js';
import { documentTarget, shownText, withOriginalPage } from './html-origin.js';

export interface SaveRequest {
  readonly name: string;
  readonly block: number;
  readonly segment: number;
  /** The source sentence the page showed, to catch a file rewritten meanwhile. */
  readonly source: string;
  /** The English the page showed before the edit: the save is refused if it is no longer current. */
  readonly base: string;
  readonly target: string;
}

export interface SaveResult {
  readonly target: string;
  readonly reviewed: string;
  /** Files rewritten (the edited one first). */
  readonly files: readonly string[];
  /** Sentences changed across those files. */
  readonly sentences: number;
  /** Files whose outputs could not be rewritten, with why; the memory still has the edit for them. */
  readonly failures: readonly string[];
}

/** Longest English accepted for one sentence. */
export const MAX_TARGET_CHARS = 20_000;

function int(v: unknown, key: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new HttpError(400, `"${key}" must be a whole number ≥ 0`);
  return v;
}

function text(v: unknown, key: string): string {
  if (typeof v !== 'string') throw new HttpError(400, `"${key}" must be a string`);
  return v;
}

/** Check a request body's shape; the English is tidied to one line, as sentences are in the outputs. */
export function parseSaveRequest(body: unknown): SaveRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'expected a JSON object');
  const o = body as Record<string, unknown>;
  const target = text(o.target, 'target').replace(/\s+/g, ' ').trim();
  if (target === '') throw new HttpError(400, 'the English is empty; write a translation, or press Esc to cancel');
  if (target.length > MAX_TARGET_CHARS) throw new HttpError(413, `the English is over ${MAX_TARGET_CHARS} characters`);
  return {
    name: text(o.name, 'name'),
    block: int(o.block, 'block'),
    segment: int(o.segment, 'segment'),
    source: text(o.source, 'source'),
    base: text(o.base, 'base'),
    target,
  };
}

export class Saver {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly catalog: Catalog,
    private readonly memoryFile: string,
  ) {}

  /** Saves are queued: two tabs saving at once are handled one after the other. */
  save(req: SaveRequest): Promise<SaveResult> {
    const run = this.chain.then(() => this.saveNow(req));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async saveNow(req: SaveRequest): Promise<SaveResult> {
    const { catalog } = this;
    let lock;
    try {
      lock = await acquireLock(catalog.outDir, { handleSignals: false });
    } catch (err) {
      if (!(err instanceof RunStateError)) throw err;
      throw new HttpError(409, `not saved: ${err.message}. Your edit is still in the editor; save again when that run has finished.`, { reason: 'locked' });
    }
    try {
      await catalog.refresh();
      const file = catalog.get(req.name);
      if (file === undefined) throw new HttpError(404, `no file named ${JSON.stringify(req.name)} in this folder; reload the page`);
      if (file.problem !== undefined) throw new HttpError(409, `${req.name} cannot be edited: ${file.problem}`);
      const review = await catalog.load(file);
      const seg = review.doc.blocks[req.block]?.segments[req.segment];
      // The page showed (and the person edited) each sentence in its shown form; see html-origin.ts.
      const shown = (t: string): string => shownText(file.format, t);
      if (seg === undefined || shown(seg.source) !== req.source) {
        throw new HttpError(409, `${req.name} changed since the page showed it (a run rewrote it); reload the page, your edit was not saved`, { reason: 'moved' });
      }
      if (review.leading[req.block] === undefined) throw new HttpError(409, `this sentence of ${req.name} cannot be edited (its block does not split into sentences cleanly)`);
      if (shown(seg.target) !== req.base) {
        throw new HttpError(409, 'not saved: this sentence was changed meanwhile (in another tab, or by a run); its English is now the text shown below', {
          reason: 'conflict',
          current: shown(seg.target),
        });
      }
      // Everything that can refuse this file's save is checked before the memory is written.
      const target = documentTarget(file.format, seg.source, req.target);
      const page = await withOriginalPage(file, review.doc);
      const now = Date.now();
      const reviewed = new Date(now).toISOString();
      const memory = TranslationMemory.open(this.memoryFile);
      try {
        memory.putHuman(seg.source, target, now);
      } finally {
        memory.close();
      }
      const key = humanKey(seg.source);
      const byFile = new Map<string, Array<[number, number]>>([[file.name, []]]);
      for (const o of (await catalog.occurrences()).get(key) ?? []) {
        const list = byFile.get(o.name) ?? [];
        list.push([o.block, o.segment]);
        byFile.set(o.name, list);
      }
      const files: string[] = [];
      const failures: string[] = [];
      let sentences = 0;
      for (const [name, at] of byFile) {
        const f = catalog.get(name);
        if (f === undefined || at.length === 0) continue;
        try {
          const loaded = name === file.name ? { ...review, doc: page } : await catalog.load(f);
          const [b0, s0] = at[0]!;
          const there = loaded.doc.blocks[b0]?.segments[s0];
          if (there === undefined) throw new Error('internal: occurrence not in the document');
          // Each file gets the English in its own format (a web page's tags and escaping, as it was typed elsewhere).
          const own = f.format === file.format ? target : documentTarget(f.format, there.source, req.target);
          const withPage = name === file.name ? page : await withOriginalPage(f, loaded.doc);
          const doc = applyEdit({ ...loaded, doc: withPage }, { at, target: own, reviewed });
          await writeOutputs(doc, f.base, f.formats.filter((x) => x !== 'json'));
          await writeOutputs(doc, f.base, ['json']);
          files.push(name);
          sentences += at.length;
        } catch (err) {
          failures.push(`${name}: ${describeError(err)}`);
        }
      }
      if (!files.includes(file.name)) {
        throw new HttpError(500, `the edit is kept in the translation memory, but ${failures.join('; ')}; fix that and save again (or run translate, which applies it)`);
      }
      return { target: shown(target), reviewed, files, sentences, failures };
    } finally {
      await lock.release();
    }
  }
}
