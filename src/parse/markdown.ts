/**
 * Markdown articles → blocks: a hand-written CommonMark-style block parser. It only locates
 * blocks; inline syntax stays in `source` for the segmenter to protect. Container blocks (list
 * items, block quotes) are parsed recursively over "views" of their lines, so nesting works up to
 * MAX_DEPTH levels; the prefixes of a container's continuation lines ("> ", indentation) stay inside the text
 * of the block they belong to, and `assemble` guarantees the exact round trip.
 */
import type { ParsedDocument, TableCell } from '../types.js';
import { assemble, type Span } from './assemble.js';
import { type Line, isBlank, splitLines } from './lines.js';
import { definitionLineCount } from './markdown-definitions.js';
import {
  ATX_RE,
  FENCE_OPEN_RE,
  LIST_RE,
  SETEXT_RE,
  THEMATIC_RE,
  advanceToCol,
  colAt,
  endsHtmlBlock,
  hasUnescapedPipe,
  htmlBlockType,
  isTableHeader,
  leadingSpaces,
  startsBlock,
  tableCells,
} from './markdown-syntax.js';

/** A line as seen from inside its containers: its content starts at `off`. */
interface View {
  readonly line: Line;
  readonly off: number;
}

interface Context {
  /** Inside a block quote: paragraphs become kind 'quote'. */
  readonly inQuote: boolean;
  /** Container nesting depth; past MAX_DEPTH containers read as text, so recursion stays bounded. */
  readonly depth: number;
}

const MAX_DEPTH = 50;

export function parseMarkdown(text: string): ParsedDocument {
  const lines = splitLines(text);
  const spans: Span[] = [];
  const afterFrontMatter = frontMatter(lines, spans);
  const views = lines.slice(afterFrontMatter).map((line) => ({ line, off: 0 }));
  parseBlocks(views, spans, { inQuote: false, depth: 0 });
  return assemble(text, spans, 'markdown');
}

const content = (v: View): string => v.line.text.slice(v.off);
/** Absolute offset of character `k` of a view's content. */
const at = (v: View, k: number): number => v.line.start + v.off + k;
/** End of a line without its trailing whitespace. */
const lineEnd = (line: Line): number => line.start + line.text.trimEnd().length;
/** Columns of indentation of a view's content, relative to where the content starts. */
const indentOf = (v: View): number =>
  colAt(v.line.text, v.off + leadingSpaces(content(v))) - colAt(v.line.text, v.off);

/** "---" YAML (or "+++" TOML) front matter at the very top; returns the number of lines it takes. */
function frontMatter(lines: readonly Line[], spans: Span[]): number {
  const open = lines[0]?.text.trimEnd();
  if (open !== '---' && open !== '+++') return 0;
  const closers = open === '---' ? ['---', '...'] : ['+++'];
  const close = lines.findIndex((l, k) => k > 0 && closers.includes(l.text.trimEnd()));
  if (close < 0) return 0;
  const closing = lines[close]!;
  spans.push({
    kind: 'front-matter',
    markerStart: 0,
    sourceStart: close > 1 ? lines[1]!.start : closing.start,
    sourceEnd: close > 1 ? lines[close - 1]!.end : closing.start,
    translate: false,
  });
  return close + 1;
}

/** Parses views[0..] into spans; every handler returns the index of the first view it did not take. */
function parseBlocks(views: readonly View[], spans: Span[], ctx: Context): void {
  let i = 0;
  while (i < views.length) {
    const v = views[i]!;
    const c = content(v);
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (indentOf(v) >= 4) {
      i = indentedCode(views, i, spans);
      continue;
    }
    const lead = leadingSpaces(c);
    const s = c.slice(lead);
    const next = views[i + 1];
    if (FENCE_OPEN_RE.test(s)) i = fencedCode(views, i, spans);
    else if (ATX_RE.test(s)) i = atxHeading(views, i, spans);
    else if (THEMATIC_RE.test(s)) i = rule(views, i, spans);
    else if (s.startsWith('>') && ctx.depth < MAX_DEPTH) i = blockQuote(views, i, spans, ctx);
    else if (LIST_RE.test(s) && ctx.depth < MAX_DEPTH) i = listItem(views, i, spans, ctx);
    else if (htmlBlockType(s) > 0) i = htmlBlock(views, i, spans);
    else if (next !== undefined && isTableHeader(c, content(next))) i = table(views, i, spans);
    else i = paragraph(views, i, spans, ctx);
  }
}

/** A code span: lines kept verbatim (container prefixes included) from `first` to `last`. */
function codeSpan(markerStart: number, sourceStart: number, sourceEnd: number): Span {
  return { kind: 'code', markerStart, sourceStart, sourceEnd, translate: false };
}

function indentedCode(views: readonly View[], i: number, spans: Span[]): number {
  let last = i;
  for (let j = i + 1; j < views.length; j++) {
    const v = views[j]!;
    if (isBlank(content(v))) continue;
    if (indentOf(v) < 4) break;
    last = j;
  }
  const first = views[i]!.line;
  spans.push(codeSpan(first.start, first.start, lineEnd(views[last]!.line)));
  return last + 1;
}

/** Fences go to the marker and the trailer; the source is the code between them. */
function fencedCode(views: readonly View[], i: number, spans: Span[]): number {
  const opener = views[i]!.line;
  const fence = FENCE_OPEN_RE.exec(content(views[i]!).trimStart())![1]!;
  const closeRe = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
  let j = i + 1;
  while (j < views.length && !closeRe.test(content(views[j]!))) j++;
  const firstBody = views[i + 1]?.line;
  const lastBody = views[j - 1]!.line;
  if (j === i + 1) {
    // Nothing between the fences (or an unclosed fence at the very end).
    const at = j < views.length ? views[j]!.line.start : opener.end;
    spans.push(codeSpan(opener.start, at, at));
  } else {
    spans.push(codeSpan(opener.start, firstBody!.start, lastBody.end));
  }
  // Unclosed: CommonMark runs the code to the end of its container.
  return Math.min(j + 1, views.length);
}

function atxHeading(views: readonly View[], i: number, spans: Span[]): number {
  const v = views[i]!;
  const c = content(v);
  const lead = leadingSpaces(c);
  const atx = ATX_RE.exec(c.slice(lead))!;
  const start = lead + atx[0].length;
  // A closing run of #s preceded by a space (or making up the whole text) is syntax, not title.
  const text = c.slice(start).trimEnd().replace(/(?:^|[ \t]+)#+$/, '').trimEnd();
  spans.push({
    kind: 'heading',
    level: atx[1]!.length,
    markerStart: v.line.start,
    sourceStart: at(v, start),
    sourceEnd: at(v, start + text.length),
    translate: true,
  });
  return i + 1;
}

function rule(views: readonly View[], i: number, spans: Span[]): number {
  const v = views[i]!;
  const lead = leadingSpaces(content(v));
  const end = lineEnd(v.line);
  spans.push({ kind: 'rule', markerStart: v.line.start, sourceStart: at(v, lead), sourceEnd: end, translate: false });
  return i + 1;
}

/** A line inside a fence toggles this; lazy continuation never applies inside code. */
function togglesFence(c: string, open: string | undefined): string | undefined {
  const s = c.trimStart();
  if (leadingSpaces(c) > 3) return open;
  const m = /^(`{3,}|~{3,})/.exec(s);
  if (m === null) return open;
  if (open === undefined) return FENCE_OPEN_RE.test(s) ? m[1] : undefined;
  return m[1]![0] === open[0] && m[1]!.length >= open.length && s.trim() === m[1] ? undefined : open;
}

function blockQuote(views: readonly View[], i: number, spans: Span[], ctx: Context): number {
  const inner: View[] = [];
  let fence: string | undefined;
  let j = i;
  for (; j < views.length; j++) {
    const v = views[j]!;
    const c = content(v);
    const lead = leadingSpaces(c);
    if (indentOf(v) < 4 && c[lead] === '>') {
      // The ">" and one following space or tab belong to the quote.
      const after = lead + 1;
      const off = v.off + after + (c[after] === ' ' || c[after] === '\t' ? 1 : 0);
      const view = { line: v.line, off };
      inner.push(view);
      fence = togglesFence(content(view), fence);
      continue;
    }
    const prev = inner[inner.length - 1];
    // The quote no longer matches here, so any block start (not only those that may interrupt a
    // paragraph) ends it: "2. x" after "> a" starts a list.
    const lazy =
      prev !== undefined && fence === undefined && !isBlank(content(prev)) && !isBlank(c) && !startsBlock(c, false);
    if (!lazy) break;
    inner.push(v);
  }
  parseBlocks(inner, spans, { inQuote: true, depth: ctx.depth + 1 });
  return j;
}

function listItem(views: readonly View[], i: number, spans: Span[], ctx: Context): number {
  const v = views[i]!;
  const text = v.line.text;
  const c = content(v);
  const lead = leadingSpaces(c);
  const bulletEnd = v.off + lead + LIST_RE.exec(c.slice(lead))![0].length;
  const restStart = bulletEnd + leadingSpaces(text.slice(bulletEnd));
  const emptyFirstLine = text.slice(restStart).trim() === '';
  const gap = colAt(text, restStart) - colAt(text, bulletEnd);
  // Content column: after the bullet and its spaces, unless there are 5+ (then it is code inside).
  const wide = emptyFirstLine || gap >= 5;
  const contentCol = wide ? colAt(text, bulletEnd) + 1 : colAt(text, restStart);
  const firstOff = wide ? Math.min(bulletEnd + 1, text.length) : restStart;

  const inner: View[] = [{ line: v.line, off: firstOff }];
  let fence = togglesFence(content(inner[0]!), undefined);
  let last = i;
  for (let j = i + 1; j < views.length; j++) {
    const w = views[j]!;
    const cw = content(w);
    if (isBlank(cw)) {
      // An item may start with at most one blank line.
      if (emptyFirstLine && j === i + 1) break;
      continue;
    }
    const col = colAt(w.line.text, w.off + leadingSpaces(cw));
    if (col >= contentCol) {
      for (let k = last + 1; k < j; k++) {
        const b = views[k]!;
        inner.push({ line: b.line, off: advanceToCol(b.line.text, b.off, contentCol) });
      }
      const view = { line: w.line, off: advanceToCol(w.line.text, w.off, contentCol) };
      inner.push(view);
      fence = togglesFence(content(view), fence);
      last = j;
      continue;
    }
    // Any block start ends the item here, e.g. a sibling "2) b" or an empty "-" item.
    const lazy = j === last + 1 && fence === undefined && !startsBlock(cw, false);
    if (!lazy) break;
    inner.push(w);
    last = j;
  }

  const itemSpans: Span[] = [];
  parseBlocks(inner, itemSpans, { ...ctx, depth: ctx.depth + 1 });
  const first = itemSpans[0];
  if (first === undefined || first.markerStart !== v.line.start) {
    // Empty first line: the bullet alone is a block, so that the marker stays with it.
    const end = lineEnd(v.line);
    spans.push({ kind: 'list-item', markerStart: v.line.start, sourceStart: end, sourceEnd: end, translate: false });
  } else if (first.kind === 'paragraph' || first.kind === 'quote') {
    itemSpans[0] = { ...first, kind: 'list-item' };
  }
  spans.push(...itemSpans);
  return last + 1;
}

function htmlBlock(views: readonly View[], i: number, spans: Span[]): number {
  const v = views[i]!;
  const c = content(v);
  const type = htmlBlockType(c.trimStart());
  let last = i;
  if (type <= 5) {
    // Ends on the line holding the closing string (possibly the first line itself).
    const firstRest = c.trimStart().slice(type === 1 ? 1 : 2);
    if (!endsHtmlBlock(type, firstRest)) {
      last = views.length - 1;
      for (let j = i + 1; j < views.length; j++) {
        if (endsHtmlBlock(type, content(views[j]!))) {
          last = j;
          break;
        }
      }
    }
  } else {
    while (last + 1 < views.length && !isBlank(content(views[last + 1]!))) last++;
  }
  const start = v.line.start;
  spans.push({ kind: 'html', markerStart: start, sourceStart: start, sourceEnd: lineEnd(views[last]!.line), translate: false });
  return last + 1;
}

/** Pipe table: one 'table-cell' span per cell; the delimiter row ends up in the header's trailer. */
function table(views: readonly View[], i: number, spans: Span[]): number {
  const aligns = tableCells(content(views[i + 1]!)).map((cell) => columnAlign(content(views[i + 1]!).slice(cell.start, cell.end)));
  pushRow(views[i]!, spans, 0, aligns);
  let j = i + 2;
  while (j < views.length) {
    const c = content(views[j]!);
    if (isBlank(c) || startsBlock(c, true) || !hasUnescapedPipe(c)) break;
    pushRow(views[j]!, spans, j - i - 1, aligns);
    j++;
  }
  return j;
}

function columnAlign(delimiter: string): TableCell['align'] {
  const d = delimiter.trim();
  const left = d.startsWith(':');
  const right = d.endsWith(':');
  return left && right ? 'center' : left ? 'left' : right ? 'right' : undefined;
}

function pushRow(v: View, spans: Span[], row: number, aligns: ReadonlyArray<TableCell['align']>): void {
  const c = content(v);
  tableCells(c).forEach((cell, column) => {
    const raw = c.slice(cell.start, cell.end);
    const from = cell.start + leadingSpaces(raw);
    const to = Math.max(from, cell.start + raw.trimEnd().length);
    const align = aligns[column];
    spans.push({
      kind: 'table-cell',
      markerStart: cell.pipe < 0 ? v.line.start : at(v, cell.pipe),
      sourceStart: at(v, from),
      sourceEnd: at(v, to),
      translate: true,
      cell: { row, column, ...(align === undefined ? {} : { align }) },
    });
  });
}

function paragraph(views: readonly View[], i: number, spans: Span[], ctx: Context): number {
  const v = views[i]!;
  let j = i + 1;
  let level: number | undefined;
  for (; j < views.length; j++) {
    const c = content(views[j]!);
    if (isBlank(c)) break;
    const underline = indentOf(views[j]!) < 4 ? SETEXT_RE.exec(c.trimStart()) : null;
    if (underline !== null) {
      level = underline[1]![0] === '=' ? 1 : 2;
      break;
    }
    if (startsBlock(c, true)) break;
    const next = views[j + 1];
    // A table may interrupt a paragraph: its header line then leaves the paragraph.
    if (next !== undefined && isTableHeader(c, content(next))) break;
  }
  // Link reference definitions at the paragraph's start are copied as they are; what follows them
  // (possibly with the setext underline) is parsed again as blocks of its own.
  const defs = definitionLineCount(views.slice(i, level === undefined ? j : j + 1).map(content));
  if (defs > 0) {
    spans.push({
      kind: 'definition',
      markerStart: v.line.start,
      sourceStart: at(v, leadingSpaces(content(v))),
      sourceEnd: lineEnd(views[i + defs - 1]!.line),
      translate: false,
    });
    return i + defs;
  }
  spans.push({
    kind: level !== undefined ? 'heading' : ctx.inQuote ? 'quote' : 'paragraph',
    ...(level === undefined ? {} : { level }),
    markerStart: v.line.start,
    sourceStart: at(v, leadingSpaces(content(v))),
    sourceEnd: lineEnd(views[j - 1]!.line),
    translate: true,
  });
  return level === undefined ? j : j + 1;
}
