/** What the review page asks the server: the file list, one file's sentences, a search, a save. */
import { humanKey } from '../memory/memory.js';
import type { BlockKind, SegmentFlag } from '../types.js';
import { hasContent, listBullet } from '../write/common.js';
import { HttpError } from './body.js';
import type { Catalog, FileSummary, Occurrence } from './catalog.js';
import { shownText } from './html-origin.js';

export interface SentenceView {
  readonly s: number;
  readonly source: string;
  readonly target: string;
  readonly flags: readonly SegmentFlag[];
  readonly error?: string;
  readonly reviewed?: string;
  readonly editable: boolean;
  /** Occurrences of this source sentence in the folder (this one included), and in how many files. */
  readonly shared: { readonly sentences: number; readonly files: number };
}

export interface BlockView {
  readonly b: number;
  readonly kind: BlockKind;
  readonly level?: number;
  /** A list item's bullet or number, as the HTML output shows it. */
  readonly bullet?: string;
  /** Text copied as is (code, front matter, raw HTML): shown once. */
  readonly verbatim?: string;
  readonly sentences?: readonly SentenceView[];
}

export interface FileView {
  readonly name: string;
  readonly status: string;
  readonly formats: readonly string[];
  readonly blocks: readonly BlockView[];
}

export interface SearchHit {
  readonly name: string;
  readonly b: number;
  readonly s: number;
  readonly source: string;
  readonly target: string;
}

export const SEARCH_LIMIT = 200;

export async function filesRoute(catalog: Catalog): Promise<{ folder: string; files: FileSummary[] }> {
  await catalog.refresh();
  const files: FileSummary[] = [];
  for (const f of catalog.list()) files.push(await catalog.summary(f));
  return { folder: catalog.outDir, files };
}

function sharedCount(list: readonly Occurrence[] | undefined): { sentences: number; files: number } {
  return { sentences: list?.length ?? 1, files: list === undefined ? 1 : new Set(list.map((o) => o.name)).size };
}

export async function fileRoute(catalog: Catalog, name: string | null): Promise<FileView> {
  if (name === null) throw new HttpError(400, 'missing ?name=');
  let file = catalog.get(name);
  if (file === undefined) {
    await catalog.refresh();
    file = catalog.get(name);
  }
  if (file === undefined) throw new HttpError(404, `no file named ${JSON.stringify(name)} in this folder; reload the list`);
  if (file.problem !== undefined) throw new HttpError(409, `${name} cannot be reviewed: ${file.problem}`);
  const review = await catalog.load(file);
  const index = await catalog.occurrences();
  const blocks: BlockView[] = [];
  review.doc.blocks.forEach((block, b) => {
    if (!hasContent(block)) return;
    const head = {
      b,
      kind: block.kind,
      ...(block.level !== undefined ? { level: block.level } : {}),
      // A web page's marker is the page's own HTML up to the item, not a bullet (html-view.ts shows one too).
      ...(block.kind === 'list-item' ? { bullet: file.format === 'html' ? '•' : listBullet(block.marker) } : {}),
    };
    if (!block.translate) {
      blocks.push({ ...head, verbatim: block.source });
      return;
    }
    const editable = review.leading[b] !== undefined;
    blocks.push({
      ...head,
      sentences: block.segments.map((seg, s) => ({
        s,
        source: shownText(file.format, seg.source),
        target: shownText(file.format, seg.target),
        flags: seg.flags ?? [],
        ...(seg.error !== undefined ? { error: seg.error } : {}),
        ...(seg.reviewed !== undefined ? { reviewed: seg.reviewed } : {}),
        editable,
        shared: sharedCount(index.get(humanKey(seg.source))),
      })),
    });
  });
  return { name, status: file.status, formats: file.formats, blocks };
}

/** Sentences whose Indonesian or English contains `q` (case-insensitive), over every file. */
export async function searchRoute(catalog: Catalog, q: string | null): Promise<{ hits: SearchHit[]; truncated: boolean }> {
  const needle = (q ?? '').trim().toLocaleLowerCase();
  if (needle === '') return { hits: [], truncated: false };
  await catalog.refresh();
  const hits: SearchHit[] = [];
  for (const file of catalog.list()) {
    if (file.problem !== undefined) continue;
    const review = await catalog.load(file).catch(() => undefined);
    if (review === undefined) continue;
    for (const [b, block] of review.doc.blocks.entries()) {
      if (!block.translate) continue;
      for (const [s, seg] of block.segments.entries()) {
        const [source, target] = [shownText(file.format, seg.source), shownText(file.format, seg.target)];
        if (source.toLocaleLowerCase().includes(needle) || target.toLocaleLowerCase().includes(needle)) {
          if (hits.length === SEARCH_LIMIT) return { hits, truncated: true };
          hits.push({ name: file.name, b, s, source, target });
        }
      }
    }
  }
  return { hits, truncated: false };
}
