/**
 * Line-level Markdown syntax for the block parser: what starts a block, HTML block types, table
 * rows, and tab-aware columns (CommonMark counts a tab as advancing to the next multiple of 4).
 */

export const ATX_RE = /^(#{1,6})(?:[ \t]+|$)/;
export const FENCE_OPEN_RE = /^(`{3,}(?=[^`]*$)|~{3,})/;
export const THEMATIC_RE = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
export const SETEXT_RE = /^(=+|-+)[ \t]*$/;
/** Bullet or ordered-list marker, followed by a space, a tab or the end of the line. */
export const LIST_RE = /^([-+*]|\d{1,9}[.)])(?=[ \t]|$)/;
const DELIMITER_ROW_RE = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

const HTML_BLOCK_TAGS = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl ' +
    'dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend ' +
    'li link main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td ' +
    'tfoot th thead title tr track ul'
  ).split(' '),
);
const HTML_OPEN_CLOSE_TAG_RE =
  /^(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$/;

/** Column of character `idx` in `text`, tabs advancing to the next multiple of 4. */
export function colAt(text: string, idx: number): number {
  let col = 0;
  for (let i = 0; i < idx; i++) col = text[i] === '\t' ? col + 4 - (col % 4) : col + 1;
  return col;
}

/** Index reached by consuming spaces and tabs from `from` until column `target` (a tab may overshoot). */
export function advanceToCol(text: string, from: number, target: number): number {
  let i = from;
  let col = colAt(text, from);
  while (i < text.length && col < target && (text[i] === ' ' || text[i] === '\t')) {
    col = text[i] === '\t' ? col + 4 - (col % 4) : col + 1;
    i++;
  }
  return i;
}

export function leadingSpaces(s: string): number {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

/**
 * HTML block type 1–7 per CommonMark for a line (indentation already removed), or 0.
 * Types 1–5 end at a closing string, 6–7 at a blank line; 7 cannot interrupt a paragraph.
 */
export function htmlBlockType(s: string): number {
  if (/^<(?:script|pre|style|textarea)(?=[\s>]|$)/i.test(s)) return 1;
  if (s.startsWith('<!--')) return 2;
  if (s.startsWith('<?')) return 3;
  if (/^<![A-Za-z]/.test(s)) return 4;
  if (s.startsWith('<![CDATA[')) return 5;
  const tag = /^<\/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)/.exec(s);
  if (tag !== null && HTML_BLOCK_TAGS.has(tag[1]!.toLowerCase())) return 6;
  return HTML_OPEN_CLOSE_TAG_RE.test(s) ? 7 : 0;
}

/** Whether line `s` (types 1–5) contains the end of an HTML block of `type`. */
export function endsHtmlBlock(type: number, s: string): boolean {
  switch (type) {
    case 1:
      return /<\/(?:script|pre|style|textarea)>/i.test(s);
    case 2:
      return s.includes('-->');
    case 3:
      return s.includes('?>');
    case 4:
      return s.includes('>');
    case 5:
      return s.includes(']]>');
    default:
      return false;
  }
}

/**
 * Whether a line starts a block other than a paragraph. With `interrupting`, only the starts that
 * may interrupt a paragraph count (no HTML type 7, no empty list item, ordered lists only from 1).
 */
export function startsBlock(content: string, interrupting: boolean): boolean {
  const lead = leadingSpaces(content);
  if (colAt(content, lead) >= 4) return false;
  const s = content.slice(lead);
  if (ATX_RE.test(s) || FENCE_OPEN_RE.test(s) || s.startsWith('>') || THEMATIC_RE.test(s)) return true;
  const html = htmlBlockType(s);
  if (html > 0 && (html < 7 || !interrupting)) return true;
  const list = LIST_RE.exec(s);
  if (list === null) return false;
  if (!interrupting) return true;
  const rest = s.slice(list[0].length);
  if (rest.trim() === '') return false;
  return /^[-+*]$/.test(list[1]!) || /^1[.)]$/.test(list[1]!);
}

/** A cell of a table row: [start, end) within the row's content, between unescaped pipes. */
export interface CellRange {
  readonly start: number;
  readonly end: number;
  /** Index of the pipe before the cell, or -1 for a first cell without a leading pipe. */
  readonly pipe: number;
}

/** Cells of a pipe-table row. A backslash escapes a pipe ("\|" stays inside the cell). */
export function tableCells(content: string): CellRange[] {
  const pipes: number[] = [];
  for (let i = 0; i < content.length; i++) {
    if (content[i] === '\\') i++;
    else if (content[i] === '|') pipes.push(i);
  }
  if (pipes.length === 0) return [];
  const first = leadingSpaces(content);
  const last = content.trimEnd().length - 1;
  const cuts: number[] = [...pipes];
  if (pipes[0] !== first) cuts.unshift(first - 1);
  if (pipes[pipes.length - 1] !== last || last === first) cuts.push(content.trimEnd().length);
  const cells: CellRange[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const a = cuts[k]!;
    cells.push({ start: a + 1, end: cuts[k + 1]!, pipe: k === 0 && a === first - 1 ? -1 : a });
  }
  return cells;
}

export function hasUnescapedPipe(content: string): boolean {
  for (let i = 0; i < content.length; i++) {
    if (content[i] === '\\') i++;
    else if (content[i] === '|') return true;
  }
  return false;
}

/** A header line followed by a matching delimiter row ("|---|:--:|") starts a table. */
export function isTableHeader(header: string, delimiter: string | undefined): boolean {
  if (delimiter === undefined || !hasUnescapedPipe(header) || !delimiter.includes('|')) return false;
  if (colAt(header, leadingSpaces(header)) >= 4 || colAt(delimiter, leadingSpaces(delimiter)) >= 4) return false;
  if (!DELIMITER_ROW_RE.test(delimiter.trim())) return false;
  return tableCells(header).length === tableCells(delimiter).length;
}


/**
 * Block-quote prefixes at the start of a block's continuation lines ("first line\n> second"). The
 * parser keeps them in the block's text, so that marker + source + trailer still rebuild the file,
 * but they are syntax, not words: the model, the sentence splitter and the side-by-side views see
 * the text without them. (A Markdown paragraph line cannot start with ">" as text: that starts a
 * quote.)
 */
const CONTINUATION_PREFIX_RE = /(?<=\n)[ \t]*>(?:[ \t]*>)*[ \t]?/g;

/** The text without the quote prefixes of its continuation lines. */
export function withoutQuotePrefixes(text: string): string {
  return text.replace(CONTINUATION_PREFIX_RE, '');
}

/** The same text with those prefixes as spaces: same length, so offsets still match the original. */
export function maskQuotePrefixes(text: string): string {
  return text.replace(CONTINUATION_PREFIX_RE, (m) => ' '.repeat(m.length));
}
