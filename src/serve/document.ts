/**
 * A translated document read back from its `.id-en.json` output, so that an edit can be applied to
 * it and every output rendered again by the pipeline's own writers: the JSON is the one record the
 * other four files are made from, and nothing is ever patched into them by hand.
 */
import { InputFileError } from '../errors.js';
import { maskHtml } from '../segment/html-spans.js';
import { JSON_SCHEMA_VERSION } from '../write/json.js';
import { reassembleBlock, type BlockPlan, type SentenceTarget } from '../reassemble/reassemble.js';
import type { BlockKind, DocumentFormat, SegmentFlag, TableCell, TranslatedBlock, TranslatedDocument, TranslatedSegment } from '../types.js';

const KINDS: ReadonlySet<string> = new Set<BlockKind>([
  'title', 'heading', 'paragraph', 'list-item', 'quote', 'table-cell', 'code', 'front-matter', 'html', 'rule', 'label', 'definition',
]);
const FLAGS: ReadonlySet<string> = new Set<SegmentFlag>(['repetition', 'too-short', 'too-long', 'untranslated', 'lost-span', 'markup-moved']);

/** A document and, per block, the whitespace before its first sentence (undefined: not editable). */
export interface ReviewDocument {
  readonly doc: TranslatedDocument;
  readonly leading: ReadonlyArray<string | undefined>;
}

type Json = Record<string, unknown>;

function bad(file: string, where: string, what: string): InputFileError {
  return new InputFileError(
    `${file}: ${where}: ${what}; the file is not a dwibahasa JSON output (run dwibahasa translate again to rewrite it)`,
    file,
  );
}

function obj(v: unknown, file: string, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(file, where, 'expected an object');
  return v as Json;
}

function str(o: Json, key: string, file: string, where: string, fallback?: string): string {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string') throw bad(file, `${where}.${key}`, 'expected a string');
  return v;
}

function arr(o: Json, key: string, file: string, where: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw bad(file, `${where}.${key}`, 'expected an array');
  return v;
}

function readSegment(v: unknown, file: string, where: string): Omit<TranslatedSegment, 'trailing'> {
  const o = obj(v, file, where);
  const flags = o.flags === undefined ? [] : arr(o, 'flags', file, where);
  for (const f of flags) if (typeof f !== 'string' || !FLAGS.has(f)) throw bad(file, `${where}.flags`, `unknown flag ${JSON.stringify(f)}`);
  return {
    source: str(o, 'source', file, where),
    target: str(o, 'target', file, where),
    ...(flags.length > 0 ? { flags: flags as SegmentFlag[] } : {}),
    ...(o.error !== undefined ? { error: str(o, 'error', file, where) } : {}),
    ...(o.reviewed !== undefined ? { reviewed: str(o, 'reviewed', file, where) } : {}),
  };
}

/**
 * The JSON output keeps each sentence but not what lies between sentences: whitespace, and in web
 * pages the inline tags at sentence edges too (the HTML segmenter leaves them out of a sentence,
 * so "<strong>JAKARTA</strong> - …" is the sentence "JAKARTA</strong> - …" after "<strong>").
 * It is recovered from the block's source, which is those and the sentences in order. Undefined
 * when the sentences do not add up to the source (such a block is shown, but not editable).
 */
function recoverSpacing(source: string, sentences: readonly string[], html: boolean): { leading: string; trailing: string[] } | undefined {
  // What may lie between sentences: whitespace; in HTML, also tags and comments (masked to spaces).
  const between = (a: number, b: number): boolean => (html ? maskHtml(source.slice(a, b)) : source.slice(a, b)).trim() === '';
  let at = 0;
  let leading: string | undefined;
  const trailing: string[] = [];
  for (const s of sentences) {
    if (s === '') return undefined;
    // The first occurrence with only a gap before it; an earlier one may sit inside a tag's attribute.
    let found = source.indexOf(s, at);
    while (found >= 0 && !between(at, found)) found = html ? source.indexOf(s, found + 1) : -1;
    if (found < 0) return undefined;
    if (leading === undefined) leading = source.slice(0, found);
    else trailing.push(source.slice(at, found));
    at = found + s.length;
  }
  if (leading === undefined || !between(at, source.length)) return undefined;
  trailing.push(source.slice(at));
  return { leading, trailing };
}

const ALIGNS: ReadonlySet<string> = new Set(['left', 'center', 'right']);

/** A pipe-table cell's place; the JSON's table index is derived from the cells' order, so it is not kept. */
function readCell(v: unknown, file: string, where: string): TableCell {
  const o = obj(v, file, where);
  const whole = (key: string): number => {
    const n = o[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad(file, `${where}.${key}`, 'expected a whole number');
    return n;
  };
  whole('index');
  const align = o.align;
  if (align !== undefined && (typeof align !== 'string' || !ALIGNS.has(align))) throw bad(file, `${where}.align`, `unknown alignment ${JSON.stringify(align)}`);
  return { row: whole('row'), column: whole('column'), ...(align !== undefined ? { align: align as TableCell['align'] & string } : {}) };
}

function readBlock(v: unknown, file: string, where: string, html: boolean): { block: TranslatedBlock; leading: string | undefined } {
  const o = obj(v, file, where);
  const kind = str(o, 'kind', file, where);
  if (!KINDS.has(kind)) throw bad(file, `${where}.kind`, `unknown block kind ${JSON.stringify(kind)}`);
  const source = str(o, 'source', file, where);
  const translate = o.translated !== false;
  const segs = arr(o, 'segments', file, where).map((s, i) => readSegment(s, file, `${where}.segments[${i}]`));
  const spacing = translate ? recoverSpacing(source, segs.map((s) => s.source), html) : undefined;
  const level = o.level;
  if (level !== undefined && (typeof level !== 'number' || !Number.isInteger(level))) throw bad(file, `${where}.level`, 'expected an integer');
  if (o.related !== undefined && o.related !== true) throw bad(file, `${where}.related`, 'expected true');
  const cell = o.table === undefined ? undefined : readCell(o.table, file, `${where}.table`);
  const block: TranslatedBlock = {
    kind: kind as BlockKind,
    marker: str(o, 'marker', file, where, ''),
    source,
    trailer: str(o, 'trailer', file, where, ''),
    translate,
    ...(level !== undefined ? { level } : {}),
    ...(o.related === true ? { related: true } : {}),
    ...(cell !== undefined ? { cell } : {}),
    target: str(o, 'target', file, where),
    segments: segs.map((s, i) => ({ ...s, trailing: spacing?.trailing[i] ?? '' })),
  };
  return { block, leading: spacing?.leading };
}

/** Parse a `.id-en.json` output; `format` is the input's (the English-only file's extension follows it). */
export function readJsonDocument(text: string, file: string, format: DocumentFormat): ReviewDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw bad(file, 'whole file', `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const root = obj(value, file, 'top level');
  // A layout version this reader does not know may mean keys it would misread: refuse rather than rewrite outputs wrongly.
  if (root.schemaVersion !== undefined && root.schemaVersion !== JSON_SCHEMA_VERSION) {
    throw bad(file, 'schemaVersion', `layout version ${JSON.stringify(root.schemaVersion)}, this dwibahasa reads ${JSON_SCHEMA_VERSION}`);
  }
  const source = obj(root.source, file, 'source');
  const model = obj(root.model, file, 'model');
  const decoding = obj(model.decoding, file, 'model.decoding');
  for (const [k, v] of Object.entries(decoding)) {
    if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') throw bad(file, `model.decoding.${k}`, 'expected a number, boolean or string');
  }
  const dtype = str(model, 'dtype', file, 'model');
  if (dtype !== 'q8' && dtype !== 'fp32') throw bad(file, 'model.dtype', `unknown dtype ${JSON.stringify(dtype)}`);
  const read = arr(root, 'blocks', file, 'top level').map((b, i) => readBlock(b, file, `blocks[${i}]`, format === 'html'));
  const relPath = str(source, 'path', file, 'source');
  return {
    doc: {
      source: { path: relPath, relPath, sha256: str(source, 'sha256', file, 'source') },
      format,
      model: { id: str(model, 'id', file, 'model'), dtype, hash: str(model, 'hash', file, 'model'), decoding: decoding as Record<string, number | boolean | string> },
      blocks: read.map((r) => r.block),
    },
    leading: read.map((r) => r.leading),
  };
}

/** One sentence's new English, from a person. */
export interface SentenceEdit {
  /** Which sentences to change: [block index, segment index]. */
  readonly at: ReadonlyArray<readonly [number, number]>;
  readonly target: string;
  /** ISO time of the edit. */
  readonly reviewed: string;
}

/**
 * The document with the edit applied: each named sentence gets the new English, loses its flags and
 * error (they were about the model's English) and is marked reviewed; each changed block's English
 * is assembled again by the pipeline's own rule, so its other sentences stay as they were.
 */
export function applyEdit(review: ReviewDocument, edit: SentenceEdit): TranslatedDocument {
  const byBlock = new Map<number, Set<number>>();
  for (const [b, s] of edit.at) {
    if (review.leading[b] === undefined) throw new Error(`internal: block ${b} is not editable`);
    byBlock.set(b, (byBlock.get(b) ?? new Set()).add(s));
  }
  const blocks = review.doc.blocks.map((block, b) => {
    const changed = byBlock.get(b);
    if (changed === undefined) return block;
    const plan: BlockPlan = {
      leading: review.leading[b]!,
      sentences: block.segments.map((s) => ({ text: s.source, trailing: s.trailing, parts: [] })),
    };
    const targets: SentenceTarget[] = block.segments.map((s, i) =>
      changed.has(i)
        ? { target: edit.target, reviewed: edit.reviewed }
        : {
            target: s.target,
            ...(s.flags !== undefined ? { flags: s.flags } : {}),
            ...(s.error !== undefined ? { error: s.error } : {}),
            ...(s.reviewed !== undefined ? { reviewed: s.reviewed } : {}),
          },
    );
    return reassembleBlock(block, plan, targets);
  });
  return { ...review.doc, blocks };
}
