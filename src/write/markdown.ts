/**
 * `.id-en.md`: the document as a two-column Markdown (GFM) table, one row per block,
 * so a reader sees each English paragraph next to its Indonesian original.
 */
import type { DocumentFormat, TableCell, TranslatedBlock, TranslatedDocument } from '../types.js';
import { defuseActive } from './active-content.js';
import {
  failureLabel,
  flagLabel,
  hasContent,
  isVerbatimBlock,
  leadingTitle,
  listBullet,
  listDepth,
  sentencePairs,
  shownText,
  visibleControls,
} from './common.js';

/**
 * Plain-text inputs contain no Markdown, so every character that Markdown would read as markup
 * is backslash-escaped; `&` only where it would start an entity.
 */
function escapePlain(text: string): string {
  return text.replace(/[\\`*_[\]<>~|]/g, '\\$&').replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/** Text for inside a table cell: escaped per input format, pipes escaped, line breaks as <br>. */
function cellText(text: string, format: DocumentFormat): string {
  let t = visibleControls(shownText(text, { format })).trim();
  if (format === 'markdown') {
    // Markdown sources keep their inline markup; only what would break the table is changed.
    // Hard breaks ("\" or two spaces before a newline) become the same <br> as a soft break.
    t = t.replace(/\|/g, '\\|').replace(/(?:\\| {2,})?\n/g, '<br>');
  } else {
    t = escapePlain(t).replace(/\n/g, '<br>');
  }
  return t;
}

/** Notes (flags, errors) are ours, not Markdown: always escaped as plain text. */
function noteText(text: string): string {
  return escapePlain(visibleControls(text)).replace(/\n/g, '<br>');
}

/** Verbatim blocks (code, front matter, raw HTML) as escaped inline code that cannot break the table. */
function verbatimCell(text: string): string {
  const entities: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '\\': '&#92;',
    '`': '&#96;',
    '*': '&#42;',
    _: '&#95;',
    '[': '&#91;',
    ']': '&#93;',
    '~': '&#126;',
    '|': '&#124;',
  };
  const lines = visibleControls(text.replace(/\n+$/, ''))
    .split('\n')
    .map((line) => {
      const escaped = line.replace(/[&<>\\`*_[\]~|]/g, (c) => entities[c] ?? c);
      // Cells collapse leading spaces; keep code indentation visible.
      return escaped.replace(/^ +/, (sp) => '&nbsp;'.repeat(sp.length));
    });
  return `<code>${lines.join('<br>')}</code>`;
}

function englishCell(block: TranslatedBlock, format: DocumentFormat): string {
  const pairs = sentencePairs(block);
  let out = '';
  pairs.forEach((p, i) => {
    // The English never gains raw HTML or script links its source lacked (active-content.ts).
    const target = format === 'markdown' ? defuseActive(p.target, block.source) : p.target;
    let piece = target.trim() === '' ? '' : cellText(target, format);
    if (p.flags.length > 0) piece += (piece === '' ? '' : ' ') + noteText(flagLabel(p.flags));
    if (p.error !== undefined) piece += (piece === '' ? '' : ' ') + noteText(failureLabel(p.error));
    out += piece;
    if (i < pairs.length - 1 && piece !== '') out += p.trailing.includes('\n') ? '<br>' : ' ';
  });
  return out.replace(/(?:<br>| )+$/, '');
}

/** "↪ " marks a web page's related links ("Baca juga: …"). */
function prefixFor(block: TranslatedBlock): string {
  const related = block.related === true ? '↪ ' : '';
  if (block.kind === 'list-item') {
    return '&nbsp;&nbsp;'.repeat(listDepth(block.marker)) + related + noteText(listBullet(block.marker)) + (block.marker === '' ? '' : ' ');
  }
  if (block.kind === 'quote') return '› ' + related;
  return related;
}

function row(a: string, b: string): string {
  return `| ${a} | ${b} |`;
}

function blockRow(block: TranslatedBlock, format: DocumentFormat): string {
  if (block.kind === 'rule') return row('⸻', '⸻');
  if (isVerbatimBlock(block)) return row(verbatimCell(block.source), '');
  const prefix = prefixFor(block);
  let id = cellText(block.source, format);
  let en = englishCell(block, format);
  if (block.kind === 'heading' || block.kind === 'title') {
    id = id === '' ? '' : `**${id}**`;
    en = en === '' ? '' : `**${en}**`;
  }
  return row(prefix + id, prefix + en);
}

/** Title text for a `# ` line: no line breaks, and a trailing `#` must not close the heading. */
function headingText(text: string, format: DocumentFormat): string {
  return cellText(text.replace(/\s*\n\s*/g, ' '), format)
    .replace(/<br>/g, ' ')
    .replace(/#+$/, (h) => h.replace(/#/g, '\\#'));
}

const DELIMITERS: Readonly<Record<NonNullable<TableCell['align']> | 'none', string>> = {
  none: '---',
  left: ':---',
  center: ':---:',
  right: '---:',
};

/**
 * A pipe table as its own table: the Indonesian columns, then the English columns of the same
 * row, so each row of the translation stays beside its source row.
 */
function tableLines(cells: readonly TranslatedBlock[], format: DocumentFormat): string[] {
  const rows: TranslatedBlock[][] = [];
  for (const c of cells) (rows[c.cell?.row ?? 0] ??= []).push(c);
  const dense = rows.filter((r) => r !== undefined);
  const width = Math.max(...dense.map((r) => r.length));
  const aligns: Array<TableCell['align']> = [];
  for (const r of dense) r.forEach((c, k) => (aligns[k] ??= c.cell?.align));
  const line = (row: readonly TranslatedBlock[]): string => {
    const id: string[] = [];
    const en: string[] = [];
    for (let k = 0; k < width; k++) {
      const c = row[k];
      id.push(c === undefined ? '' : cellText(c.source, format));
      en.push(c === undefined ? '' : englishCell(c, format));
    }
    return `| ${[...id, ...en].join(' | ')} |`;
  };
  const delimiter = Array.from({ length: 2 * width }, (_, k) => DELIMITERS[aligns[k % width] ?? 'none']);
  const [head = [], ...body] = dense;
  return [line(head), `| ${delimiter.join(' | ')} |`, ...body.map(line)];
}

export function renderMarkdown(doc: TranslatedDocument): string {
  const title = leadingTitle(doc);
  const out: string[] = [];
  if (title !== undefined) {
    out.push(`# ${headingText(title.source, doc.format)}`, '');
    const en = englishCell(title, doc.format).replace(/<br>/g, ' ');
    if (en !== '') out.push(`English: ${en}`, '');
  }
  let inPairs = false;
  let table: TranslatedBlock[] = [];
  const flushTable = (): void => {
    if (table.length === 0) return;
    if (inPairs) out.push('');
    out.push(...tableLines(table, doc.format), '');
    inPairs = false;
    table = [];
  };
  for (const block of doc.blocks) {
    if (block.kind === 'table-cell' && block.cell !== undefined) {
      if (block.cell.row === 0 && block.cell.column === 0) flushTable();
      table.push(block);
      continue;
    }
    flushTable();
    if (block === title || !hasContent(block)) continue;
    if (!inPairs) out.push(row('Indonesia', 'English'), '| --- | --- |');
    inPairs = true;
    out.push(blockRow(block, doc.format));
  }
  flushTable();
  if (!inPairs && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}
