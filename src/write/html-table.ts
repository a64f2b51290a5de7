/**
 * A pipe table on the bilingual page: one HTML table whose rows hold the Indonesian cells and then
 * the English cells of the same source row, so the two tables sit side by side with their rows
 * aligned however long a translation is.
 */
import type { TableCell, TranslatedBlock, TranslatedDocument } from '../types.js';

export interface IndexedBlock {
  readonly block: TranslatedBlock;
  /** Index of the block in the document (keys the sentence spans). */
  readonly index: number;
}

/** Cells by row, in order; a row may have fewer or more cells than the header. */
function gridOf(cells: readonly IndexedBlock[]): IndexedBlock[][] {
  const rows: IndexedBlock[][] = [];
  for (const c of cells) {
    const row = c.block.cell?.row ?? 0;
    (rows[row] ??= []).push(c);
  }
  return rows.filter((r) => r !== undefined);
}

function alignClass(align: TableCell['align']): string {
  return align === undefined ? '' : ` al-${align}`;
}

/**
 * The page row for one table. `spans` renders a cell's sentences (Indonesian and English HTML,
 * already escaped).
 */
export function tableRow(
  cells: readonly IndexedBlock[],
  doc: TranslatedDocument,
  spans: (block: TranslatedBlock, key: string) => { readonly id: string; readonly en: string },
): string {
  const rows = gridOf(cells);
  const width = Math.max(...rows.map((r) => r.length));
  const aligns: Array<TableCell['align']> = [];
  for (const r of rows) r.forEach((c, k) => (aligns[k] ??= c.block.cell?.align));
  const md = doc.format === 'markdown' ? ' md' : '';
  const line = (row: readonly IndexedBlock[], tag: 'th' | 'td'): string => {
    const id: string[] = [];
    const en: string[] = [];
    for (let k = 0; k < width; k++) {
      const c = row[k];
      const sides = c === undefined ? { id: '', en: '' } : spans(c.block, String(c.index));
      const align = alignClass(aligns[k]);
      id.push(`<${tag} class="cell${md}${align}" lang="id">${sides.id}</${tag}>`);
      en.push(`<${tag} class="cell${md}${align}${k === 0 ? ' en1' : ''}" lang="en">${sides.en}</${tag}>`);
    }
    return `<tr>${id.join('')}${en.join('')}</tr>`;
  };
  const [head, ...body] = rows;
  const thead = head === undefined ? '' : `<thead>${line(head, 'th')}</thead>`;
  const tbody = body.length === 0 ? '' : `<tbody>${body.map((r) => line(r, 'td')).join('')}</tbody>`;
  return `<div class="row k-table wide"><div class="cell tablebox"><table class="pair">${thead}${tbody}</table></div></div>`;
}
