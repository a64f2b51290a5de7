/**
 * Turns blocks located by offsets into `Block`s whose marker + source + trailer tile the text.
 * Parsers only say where each block's line starts and where its source lies; everything between
 * two sources is split here, so no parser can drop or duplicate a character by construction.
 */
import type { Block, BlockKind, DocumentFormat, ParsedDocument, TableCell } from '../types.js';

export interface Span {
  readonly kind: BlockKind;
  /** Where the block's marker begins: its first line's start, or the pipe before a table cell. */
  readonly markerStart: number;
  readonly sourceStart: number;
  readonly sourceEnd: number;
  readonly translate: boolean;
  readonly level?: number;
  /** Plain-text hard wraps: every '\n' inside the source becomes one space. */
  readonly join?: boolean;
  /** A "related links" block of a page ("Baca juga: …"). */
  readonly related?: boolean;
  readonly cell?: TableCell;
}

export function assemble(text: string, spans: readonly Span[], format: DocumentFormat, extra: Partial<ParsedDocument> = {}): ParsedDocument {
  if (spans.length === 0) {
    // Only whitespace: one untranslated block keeps it, so the invariant still holds.
    const blocks: Block[] =
      text === '' ? [] : [{ kind: 'paragraph', marker: '', source: '', trailer: text, translate: false }];
    return { ...extra, format, blocks };
  }
  const blocks: Block[] = [];
  let prevEnd = 0;
  for (let k = 0; k < spans.length; k++) {
    const s = spans[k]!;
    const next = spans[k + 1];
    const markerStart = k === 0 ? 0 : s.markerStart;
    const trailerEnd = next === undefined ? text.length : next.markerStart;
    const ordered =
      prevEnd <= markerStart && markerStart <= s.sourceStart && s.sourceStart <= s.sourceEnd && s.sourceEnd <= trailerEnd;
    if (!ordered) {
      throw new Error(
        `parser bug: overlapping blocks at offset ${s.markerStart} (${s.kind}, previous block ends at ${prevEnd})`,
      );
    }
    let source = text.slice(s.sourceStart, s.sourceEnd);
    if (s.join === true) source = source.replace(/\n/g, ' ');
    const block: Block = {
      kind: s.kind,
      marker: text.slice(markerStart, s.sourceStart),
      source,
      trailer: text.slice(s.sourceEnd, trailerEnd),
      translate: s.translate && source.trim() !== '',
      ...(s.level === undefined ? {} : { level: s.level }),
      ...(s.related === true ? { related: true } : {}),
      ...(s.cell === undefined ? {} : { cell: s.cell }),
    };
    blocks.push(block);
    prevEnd = s.sourceEnd;
  }
  return { ...extra, format, blocks };
}
