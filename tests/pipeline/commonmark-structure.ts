/**
 * Block structure of a Markdown text under markdown-it (CommonMark preset plus GFM tables), as a
 * list of comparable tokens: containers, leaf blocks, list kind and tightness, nesting, and the
 * verbatim content of code and HTML blocks (which are copied, never translated).
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt('commonmark').enable('table');

export function blockStructure(text: string): string[] {
  const out: string[] = [];
  for (const t of md.parse(text, {})) {
    if (t.type === 'inline') continue;
    let s = `${'  '.repeat(t.level)}${t.type}`;
    if (t.type === 'heading_open') s += ` ${t.tag}`;
    if (t.type === 'paragraph_open' && t.hidden) s += ' (tight)';
    if (t.type === 'ordered_list_open') s += ` start=${t.attrGet('start') ?? '1'}`;
    if (t.type === 'fence' || t.type === 'code_block' || t.type === 'html_block') s += ` ${JSON.stringify(t.info)} ${JSON.stringify(t.content)}`;
    out.push(s);
  }
  return out;
}

/** Tables in a Markdown text and the body rows of the first one, under the same parser. */
export function tableShape(text: string): { tables: number; rows: number } {
  const tokens = md.parse(text, {});
  const tables = tokens.filter((t) => t.type === 'table_open').length;
  let rows = 0;
  let inBody = false;
  for (const t of tokens) {
    if (t.type === 'tbody_open') inBody = true;
    else if (t.type === 'tbody_close') break;
    else if (inBody && t.type === 'tr_open') rows++;
  }
  return { tables, rows };
}
