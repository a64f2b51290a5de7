/**
 * Helpers shared by the bilingual renderers: pairing sentences, list bullets, and making
 * invisible characters visible.
 */
import path from 'node:path';
import { isModelId } from '../model/files.js';
import { withoutQuotePrefixes } from '../parse/markdown-syntax.js';
import { FLAG_MEANINGS, type ModelInfo, type SegmentFlag, type TranslatedBlock, type TranslatedDocument } from '../types.js';

/** One source sentence and its English, as shown side by side. */
export interface SentencePair {
  readonly source: string;
  readonly target: string;
  /** Whitespace after the sentence in the source. */
  readonly trailing: string;
  readonly flags: readonly SegmentFlag[];
  readonly error?: string;
}

/**
 * The sentence pairs of a block. When a block's segments do not add up to its source
 * (or there are none), the whole block becomes one pair, so that no source text is ever
 * dropped from an output because of a segmentation mismatch.
 */
export function sentencePairs(block: TranslatedBlock): SentencePair[] {
  if (!block.translate) return [{ source: block.source, target: block.source, trailing: '', flags: [] }];
  const segs = block.segments;
  const joined = segs.map((s) => s.source + s.trailing).join('');
  const lead = block.source.length - joined.length;
  const covers =
    segs.length > 0 && lead >= 0 && block.source.endsWith(joined) && block.source.slice(0, lead).trim() === '';
  if (covers) {
    return segs.map((s) => ({
      source: s.source,
      target: s.target,
      trailing: s.trailing,
      flags: s.flags ?? [],
      ...(s.error !== undefined ? { error: s.error } : {}),
    }));
  }
  const flags = [...new Set(segs.flatMap((s) => s.flags ?? []))];
  const errors = segs.flatMap((s) => (s.error !== undefined ? [s.error] : []));
  return [
    {
      source: block.source.trim(),
      target: block.target.trim(),
      trailing: '',
      flags,
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    },
  ];
}

/** "⚠ repetition, too-long" — the visible marker for a flagged sentence. */
export function flagLabel(flags: readonly SegmentFlag[]): string {
  return flags.length > 0 ? `⚠ ${flags.join(', ')}` : '';
}

/** What the flags mean, one line each: the page shows it when the reader points at the marker. */
export function flagMeanings(flags: readonly SegmentFlag[]): string {
  return flags.map((f) => `${f}: ${FLAG_MEANINGS[f]}`).join('\n');
}

export function failureLabel(error: string): string {
  return `[translation failed: ${error}]`;
}

/** Blocks shown once across both columns: they are copied, not translated. */
export function isVerbatimBlock(block: TranslatedBlock): boolean {
  return !block.translate && block.kind !== 'rule';
}

/** Blocks with nothing to show (whitespace only) get no row. */
export function hasContent(block: TranslatedBlock): boolean {
  return block.kind === 'rule' || block.source.trim() !== '';
}

/**
 * The document title, rendered above the side-by-side rows: the first block when it is a title
 * (plain text) or a heading (Markdown "# …"), allowing only untranslated blocks (front matter,
 * HTML comments) before it.
 */
export function leadingTitle(doc: TranslatedDocument): TranslatedBlock | undefined {
  const first = doc.blocks.find((b) => hasContent(b) && (b.translate || b.kind === 'title'));
  return first?.kind === 'title' || first?.kind === 'heading' ? first : undefined;
}

/** The first title or heading of the document, wherever it is (for the page's <title>). */
export function firstHeading(doc: TranslatedDocument): TranslatedBlock | undefined {
  return doc.blocks.find((b) => (b.kind === 'title' || b.kind === 'heading') && b.source.trim() !== '');
}

/**
 * Text of a Markdown block as shown beside its counterpart: without the quote prefixes of its
 * continuation lines, which are syntax (see parse/markdown-syntax.ts). Other formats as they are.
 */
export function shownText(text: string, doc: Pick<TranslatedDocument, 'format'>): string {
  return doc.format === 'markdown' ? withoutQuotePrefixes(text) : text;
}

/**
 * The model as written into the outputs: its hub id, or only the folder's name when it was loaded
 * from a folder, so that no output carries a path of the machine that made it (the hash says
 * exactly which files they were).
 */
export function publicModelId(model: ModelInfo): string {
  if (isModelId(model.id)) return model.id;
  const name = path.win32.basename(path.posix.basename(model.id.replace(/[\\/]+$/, '')));
  return name === '' ? 'local model' : name;
}

/**
 * The bullet of a list item for display: "•" for -, *, + bullets, the number for ordered items,
 * followed by a task-list box if any. Quote prefixes and indentation are stripped.
 */
export function listBullet(marker: string): string {
  const m = /^[\s>]*([-*+]|\d{1,9}[.)])(?:\s+(\[[ xX]\]))?/.exec(marker);
  if (m === null) return marker.trim();
  const bullet = m[1] === '-' || m[1] === '*' || m[1] === '+' ? '•' : (m[1] ?? '');
  const box = m[2] === undefined ? '' : m[2] === '[ ]' ? ' ☐' : ' ☑';
  return bullet + box;
}

/** Nesting depth of a list item from its marker's indentation (0 = top level), capped at 6. */
export function listDepth(marker: string): number {
  const indent = /^[\s>]*/.exec(marker)?.[0].replace(/>/g, '').replace(/\t/g, '    ').length ?? 0;
  return Math.min(6, Math.floor(indent / 2));
}

/**
 * Control characters (other than tab and line breaks) become their visible "control picture"
 * (U+0007 → ␇) and lone surrogates become U+FFFD: a reader sees that something was there
 * instead of it vanishing or breaking the page.
 */
export function visibleControls(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)))
    .replace(/\u007F/g, '\u2421')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** The file name part of a relative path, for headers. */
export function displayName(doc: TranslatedDocument): string {
  return doc.source.relPath !== '' ? doc.source.relPath : doc.source.path;
}
