/**
 * `.id-en.html`: one self-contained page with Indonesian and English side by side, row by row.
 * Hovering, tapping or focusing a sentence highlights it and its counterpart.
 *
 * Safety: every piece of document text is HTML-escaped, and a Content-Security-Policy allows
 * only this file's own style and script (by hash) and no network at all, so even text that
 * slipped through escaping could neither run script nor load anything.
 */
import { createHash } from 'node:crypto';
import type { TranslatedBlock, TranslatedDocument } from '../types.js';
import { renderInlinePieces, inlinePlainText, type InlinePiece } from './inline-markdown.js';
import { tableRow, type IndexedBlock } from './html-table.js';
import {
  displayName,
  firstHeading,
  publicModelId,
  shownText,
  failureLabel,
  flagLabel,
  flagMeanings,
  hasContent,
  isVerbatimBlock,
  leadingTitle,
  listBullet,
  listDepth,
  sentencePairs,
  visibleControls,
} from './common.js';

/** Class added to a sentence and its counterpart while highlighted. */
export const HIGHLIGHT_CLASS = 'hl';

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#666;--line:#e4e4e4;--hl:#ffe98a;--flag:#8a4b00;--err:#b00020;--en:#f7f9fc;--link:#1a5fb4;--code:#f2f2f2}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#161616;--muted:#a0a0a0;--line:#333;--hl:#5c4a00;--flag:#f0b060;--err:#ff7a8a;--en:#1d2026;--link:#8ab4f8;--code:#262626}}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:var(--bg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
/* About 75 characters per column: two columns, the gap and the padding. */
.page{max-width:calc(152ch + 4rem);margin:0 auto}
.meta{margin:0;padding:.75rem 1rem 0;color:var(--muted);font-size:.85rem}
.meta span+span::before{content:" · "}
.sheet{width:100%;border-collapse:collapse;border-spacing:0}
.sheet>tbody>tr>td{padding:0}
.cols th{position:sticky;top:0;z-index:1;width:50%;padding:.45rem 1rem;text-align:left;background:var(--bg);font-weight:600;color:var(--muted);font-size:.8rem;letter-spacing:.05em;text-transform:uppercase;border-bottom:2px solid var(--line)}
.row{display:grid;grid-template-columns:1fr 1fr;column-gap:2rem;padding:.45rem 1rem;border-bottom:1px solid var(--line);margin:0;font-size:1rem;font-weight:inherit}
.cell{min-width:0;white-space:pre-wrap;overflow-wrap:anywhere}
.cell.md{white-space:normal}
.cell code{font:.88em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);border-radius:3px;padding:0 .2em;white-space:pre-wrap}
.cell a{color:var(--link)}
.img{color:var(--muted)}
h1.row{font-size:1.6rem;line-height:1.3;font-weight:700;border-bottom:2px solid var(--line)}
.k-heading{font-weight:700;padding-top:1rem}
.lv1,.lv2{font-size:1.3rem}.lv3{font-size:1.15rem}
.k-quote .cell{border-left:3px solid var(--line);padding-left:.75rem;font-style:italic}
.k-list-item .cell{padding-left:1.4em;text-indent:-1.1em}
.d1 .cell{margin-left:1.5em}.d2 .cell{margin-left:3em}.d3 .cell{margin-left:4.5em}.d4 .cell,.d5 .cell,.d6 .cell{margin-left:6em}
.related .cell::before{content:"↪ ";color:var(--muted)}
.mk{display:inline-block;min-width:1.1em;text-indent:0;color:var(--muted)}
.wide .cell{grid-column:1/-1}
pre.cell{margin:0;white-space:pre;overflow-x:auto;font:.88rem/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.k-rule .cell{border-top:1px solid var(--muted);margin:.6rem 0}
.tablebox{overflow-x:auto}
.pair{border-collapse:collapse;width:100%;font-size:.95rem}
.pair th,.pair td{border:1px solid var(--line);padding:.3rem .5rem;vertical-align:top;text-align:left;overflow-wrap:break-word}
.pair th{font-weight:600}
.pair .cell[lang=en]{background:var(--en)}
.pair .en1{border-left:3px solid var(--muted)}
.pair .al-center{text-align:center}.pair .al-right{text-align:right}
.s{border-radius:3px;transition:background-color .1s}
.s:focus{outline:2px solid #4a7bd0;outline-offset:1px}
.s.${HIGHLIGHT_CLASS}{background:var(--hl)}
.flag{color:var(--flag);font-size:.8em;white-space:nowrap}
.err{color:var(--err);font-weight:600}
@media (prefers-reduced-motion:reduce){.s{transition:none}}
@media (max-width:40rem){
.row{grid-template-columns:1fr;row-gap:.7rem;padding-top:.6rem;padding-bottom:.6rem}
.sheet>thead{display:none}
.row>.cell[lang=en]{background:var(--en);box-shadow:0 0 0 .35rem var(--en);border-radius:1px}
}
@media print{
:root{--hl:transparent;--en:transparent;--code:transparent}
body{font-size:10.5pt;color:#000;background:#fff}
.page{max-width:none}
.sheet>thead{display:table-header-group}
.cols th{position:static}
.row{break-inside:auto}
.cell{orphans:2;widows:2}
h1.row,.k-heading{break-inside:avoid;break-after:avoid}
.pair tr{break-inside:avoid}
.tablebox{overflow:visible}
pre.cell{white-space:pre-wrap}
.s{transition:none}
.s.${HIGHLIGHT_CLASS}{background:none}
.s:focus{outline:none}
.row>.cell[lang=en]{background:none;box-shadow:none}
}
`;

// Highlights by data-s index: mouse hover, keyboard focus and tap (click) all land here.
const SCRIPT = `
(function(){
var cur=[];
function clear(){for(var i=0;i<cur.length;i++)cur[i].classList.remove('${HIGHLIGHT_CLASS}');cur=[];}
function sentence(n){return n&&n.closest?n.closest('[data-s]'):null;}
function show(el){clear();if(!el)return;var id=el.getAttribute('data-s');
cur=Array.prototype.slice.call(document.querySelectorAll('[data-s="'+id+'"]'));
for(var i=0;i<cur.length;i++)cur[i].classList.add('${HIGHLIGHT_CLASS}');}
document.addEventListener('mouseover',function(e){var s=sentence(e.target);if(s)show(s);});
document.addEventListener('mouseout',function(e){if(!sentence(e.relatedTarget))clear();});
document.addEventListener('focusin',function(e){show(sentence(e.target));});
document.addEventListener('click',function(e){show(sentence(e.target));});
})();
`;

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const CSP =
  `default-src 'none'; style-src ${cspHash(STYLE)}; script-src ${cspHash(SCRIPT)}; ` +
  `img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'`;

export function escapeHtml(text: string): string {
  return visibleControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

interface Sides {
  readonly id: string;
  readonly en: string;
}

/** Sentences of a block as paired spans; `key` makes indices unique across the page. */
function sentenceSpans(block: TranslatedBlock, key: string, doc: TranslatedDocument): Sides {
  const pairs = sentencePairs(block);
  const markdown = doc.format === 'markdown';
  const idPieces: InlinePiece[] = [];
  const enPieces: InlinePiece[] = [];
  pairs.forEach((p, i) => {
    const open = `<span class="s" data-s="${key}-${i}" tabindex="0">`;
    let notes = '';
    if (p.flags.length > 0) notes += ` <span class="flag" title="${escapeHtml(flagMeanings(p.flags))}">${escapeHtml(flagLabel(p.flags))}</span>`;
    if (p.error !== undefined) {
      notes += `${p.target === '' && notes === '' ? '' : ' '}<span class="err">${escapeHtml(failureLabel(p.error))}</span>`;
    }
    idPieces.push({ markdown: shownText(i === 0 ? p.source.trimStart() : p.source, doc), open, close: '</span>' });
    enPieces.push({ markdown: shownText(p.target, doc), open, close: `${notes}</span>` });
    // The last sentence's trailing whitespace would show as a blank line under pre-wrap.
    if (i < pairs.length - 1 && p.trailing !== '') {
      const gap = { markdown: shownText(p.trailing, doc), open: '', close: '' };
      idPieces.push(gap);
      enPieces.push(gap);
    }
  });
  const render = (pieces: readonly InlinePiece[]): string =>
    (markdown ? renderInlinePieces(pieces, escapeHtml) : undefined) ??
    pieces.map((p) => p.open + escapeHtml(p.markdown) + p.close).join('');
  return { id: render(idPieces), en: render(enPieces) };
}

function markerHtml(block: TranslatedBlock): string {
  return block.kind === 'list-item' ? `<span class="mk" aria-hidden="true">${escapeHtml(listBullet(block.marker))}</span>` : '';
}

function rowClasses(block: TranslatedBlock): string {
  const classes = ['row', `k-${block.kind}`];
  if (block.level !== undefined) classes.push(`lv${block.level}`);
  if (block.related === true) classes.push('related');
  if (block.kind === 'list-item') {
    const depth = listDepth(block.marker);
    if (depth > 0) classes.push(`d${depth}`);
  }
  return classes.join(' ');
}

function blockRow(block: TranslatedBlock, index: number, doc: TranslatedDocument): string {
  const cls = rowClasses(block);
  if (block.kind === 'rule') return `<div class="${cls} wide" role="separator"><div class="cell"></div></div>`;
  if (isVerbatimBlock(block)) {
    const text = block.source.replace(/\n+$/, '');
    return `<div class="${cls} wide"><pre class="cell" translate="no">${escapeHtml(text)}</pre></div>`;
  }
  const { id, en } = sentenceSpans(block, String(index), doc);
  const heading =
    block.kind === 'heading' || block.kind === 'title' ? ` role="heading" aria-level="${block.level ?? 2}"` : '';
  const mk = markerHtml(block);
  return (
    `<div class="${cls}"><div class="${cellClass(doc)}" lang="id"${heading}>${mk}${id}</div>` +
    `<div class="${cellClass(doc)}" lang="en"${heading}>${mk}${en}</div></div>`
  );
}

/** Markdown cells render inline markup, so their line breaks are the markup's, not the source's. */
function cellClass(doc: TranslatedDocument): string {
  return doc.format === 'markdown' ? 'cell md' : 'cell';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Text of a title or heading for the page's <title>: one line, Markdown markup removed. */
function titleText(text: string, doc: TranslatedDocument): string {
  const shown = shownText(text, doc);
  return oneLine(doc.format === 'markdown' ? inlinePlainText(shown) : shown);
}

/** Blocks as page rows; consecutive cells of one pipe table become one table row. */
function bodyRows(doc: TranslatedDocument, skip: TranslatedBlock | undefined): string[] {
  const rows: string[] = [];
  let table: IndexedBlock[] = [];
  const flush = (): void => {
    if (table.length > 0) rows.push(tableRow(table, doc, (b, key) => sentenceSpans(b, key, doc)));
    table = [];
  };
  doc.blocks.forEach((block, i) => {
    if (block.kind === 'table-cell' && block.cell !== undefined) {
      if (block.cell.row === 0 && block.cell.column === 0) flush();
      table.push({ block, index: i });
      return;
    }
    flush();
    if (block !== skip && hasContent(block)) rows.push(blockRow(block, i, doc));
  });
  flush();
  return rows;
}

export function renderHtml(doc: TranslatedDocument): string {
  const title = leadingTitle(doc);
  const name = displayName(doc);
  const heading = firstHeading(doc);
  let pageTitle = heading === undefined ? name : titleText(heading.source, doc);
  if (heading !== undefined) {
    const english = titleText(heading.target, doc);
    if (english !== '' && english !== pageTitle) pageTitle += ` — ${english}`;
  }
  let h1 = `<h1 class="row wide"><span class="cell">${escapeHtml(name)}</span></h1>`;
  if (title !== undefined) {
    const { id, en } = sentenceSpans(title, String(doc.blocks.indexOf(title)), doc);
    h1 = `<h1 class="row k-title"><span class="${cellClass(doc)}" lang="id">${id}</span><span class="${cellClass(doc)}" lang="en">${en}</span></h1>`;
  }
  const model = doc.model;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="dwibahasa">',
    `<title>${escapeHtml(pageTitle)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<div class="page">',
    '<header>',
    `<p class="meta"><span>Source: ${escapeHtml(name)}</span><span>Model: ${escapeHtml(publicModelId(model))} (${escapeHtml(model.dtype)}, ${escapeHtml(model.hash)})</span></p>`,
    h1,
    '</header>',
    // A table only so that printing repeats the column header on every page (see the print style).
    '<table class="sheet" role="presentation">',
    '<thead aria-hidden="true"><tr class="cols"><th>Indonesia</th><th>English</th></tr></thead>',
    '<tbody><tr><td colspan="2">',
    '<main>',
    ...bodyRows(doc, title),
    '</main>',
    '</td></tr></tbody></table>',
    '</div>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
