/**
 * Plain-text articles → blocks. The first non-empty line is the title. The body is read one of two
 * ways, decided per file: with blank lines between paragraphs (hard-wrapped lines of a paragraph are
 * joined) or, when the body has none, one paragraph per line.
 */
import type { BlockKind, ParsedDocument } from '../types.js';
import { assemble, type Span } from './assemble.js';
import { type Line, isBlank, splitLines } from './lines.js';
import {
  endsSentence,
  isCodeLine,
  isIndented,
  isLabel,
  isPrompt,
  isProse,
  listMarkerLength,
  looksHardWrapped,
} from './text-lines.js';

export function parseText(text: string): ParsedDocument {
  const lines = splitLines(text);
  const titleIndex = lines.findIndex((l) => !isBlank(l.text));
  if (titleIndex < 0) return assemble(text, [], 'text');
  const spans: Span[] = [lineSpan(lines[titleIndex]!, 'title', leadingSpace(lines[titleIndex]!.text))];
  const body = lines.slice(titleIndex + 1);
  if (hasBlankLineParagraphs(body)) {
    for (const chunk of chunksOf(body)) parseChunk(chunk, spans);
  } else {
    parseLineByLine(body, spans);
  }
  return assemble(text, spans, 'text');
}

/** Blank lines inside the body (not just around it), or a body that is plainly hard-wrapped. */
function hasBlankLineParagraphs(body: readonly Line[]): boolean {
  const first = body.findIndex((l) => !isBlank(l.text));
  if (first < 0) return false;
  let last = body.length - 1;
  while (isBlank(body[last]!.text)) last--;
  for (let i = first; i <= last; i++) if (isBlank(body[i]!.text)) return true;
  return looksHardWrapped(body.slice(first, last + 1).map((l) => l.text));
}

function chunksOf(lines: readonly Line[]): Line[][] {
  const chunks: Line[][] = [];
  let current: Line[] = [];
  for (const line of lines) {
    if (isBlank(line.text)) {
      if (current.length > 0) chunks.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface OpenBlock {
  readonly kind: 'paragraph' | 'list-item';
  readonly first: Line;
  last: Line;
  readonly markerLength: number;
  /** Indentation of the list item's first line; deeper lines continue it. */
  readonly indent: number;
}

/** One blank-line-separated chunk: a code block, or paragraphs, list items and labels. */
function parseChunk(chunk: readonly Line[], spans: Span[]): void {
  if (isCodeChunk(chunk)) {
    spans.push(codeSpan(chunk[0]!, chunk[chunk.length - 1]!));
    return;
  }
  let open: OpenBlock | undefined;
  const flush = (): void => {
    if (open !== undefined) spans.push(openSpan(open));
    open = undefined;
  };
  let i = 0;
  while (i < chunk.length) {
    const line = chunk[i]!;
    if (isIndented(line.text) && open?.kind !== 'list-item') {
      let j = i;
      while (j < chunk.length && isIndented(chunk[j]!.text)) j++;
      const run = chunk.slice(i, j);
      if (run.every((l) => !isProse(l.text)) && run.some((l) => isCodeLine(l.text))) {
        flush();
        spans.push(codeSpan(run[0]!, run[run.length - 1]!));
        i = j;
        continue;
      }
    }
    const marker = listMarkerLength(line.text);
    const indent = leadingSpace(line.text);
    if (marker > 0) {
      flush();
      open = { kind: 'list-item', first: line, last: line, markerLength: marker, indent };
    } else if (open?.kind === 'list-item' && (indent > open.indent || /^\p{Ll}/u.test(line.text))) {
      // Indented or lower-case: the item's text wrapped onto this line.
      open.last = line;
    } else if (isLabel(line.text) && (open?.kind !== 'paragraph' || endsSentence(open.last.text))) {
      flush();
      spans.push(lineSpan(line, 'label', indent));
    } else if (open?.kind === 'paragraph') {
      open.last = line;
    } else {
      flush();
      open = { kind: 'paragraph', first: line, last: line, markerLength: indent, indent };
    }
    i++;
  }
  flush();
}

/** A whole chunk of code-like lines: two or more, or a single prompt or indented line. */
function isCodeChunk(chunk: readonly Line[]): boolean {
  if (!chunk.every((l) => isCodeLine(l.text))) return false;
  const only = chunk[0]!.text;
  return chunk.length >= 2 || isPrompt(only) || isIndented(only);
}

/** Files without blank lines: every line is a block; runs of code-like lines form one code block. */
function parseLineByLine(body: readonly Line[], spans: Span[]): void {
  let i = 0;
  while (i < body.length) {
    const line = body[i]!;
    if (isBlank(line.text)) {
      i++;
      continue;
    }
    if (isCodeLine(line.text)) {
      let j = i;
      while (j < body.length && isCodeLine(body[j]!.text)) j++;
      if (j - i >= 2 || isPrompt(line.text)) {
        spans.push(codeSpan(line, body[j - 1]!));
        i = j;
        continue;
      }
    }
    const marker = listMarkerLength(line.text);
    if (marker > 0) {
      // Lines indented deeper than the bullet (and not bullets themselves) continue the item.
      const indent = leadingSpace(line.text);
      const item: OpenBlock = { kind: 'list-item', first: line, last: line, markerLength: marker, indent };
      let j = i + 1;
      while (j < body.length) {
        const next = body[j]!.text;
        if (isBlank(next) || listMarkerLength(next) > 0 || leadingSpace(next) <= indent) break;
        item.last = body[j]!;
        j++;
      }
      spans.push(openSpan(item));
      i = j;
      continue;
    }
    spans.push(lineSpan(line, isLabel(line.text) ? 'label' : 'paragraph', leadingSpace(line.text)));
    i++;
  }
}

function lineSpan(line: Line, kind: BlockKind, markerLength: number): Span {
  return {
    kind,
    markerStart: line.start,
    sourceStart: line.start + markerLength,
    sourceEnd: line.start + line.text.trimEnd().length,
    translate: true,
  };
}

function openSpan(open: OpenBlock): Span {
  return {
    kind: open.kind,
    markerStart: open.first.start,
    sourceStart: open.first.start + open.markerLength,
    sourceEnd: open.last.start + open.last.text.trimEnd().length,
    translate: true,
    join: open.first !== open.last,
  };
}

/** Code keeps its lines verbatim, indentation included; only trailing space of the last line moves out. */
function codeSpan(first: Line, last: Line): Span {
  return {
    kind: 'code',
    markerStart: first.start,
    sourceStart: first.start,
    sourceEnd: last.start + last.text.trimEnd().length,
    translate: false,
  };
}

function leadingSpace(s: string): number {
  return s.length - s.trimStart().length;
}
