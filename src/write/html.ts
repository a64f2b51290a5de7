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
import {
  displayName,
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
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#666;--line:#e4e4e4;--hl:#ffe98a;--flag:#8a4b00;--err:#b00020;--en:#f7f9fc}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#161616;--muted:#a0a0a0;--line:#333;--hl:#5c4a00;--flag:#f0b060;--err:#ff7a8a;--en:#1d2026}}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:var(--bg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.meta{margin:0;padding:.75rem 1rem 0;color:var(--muted);font-size:.85rem}
.meta span+span::before{content:" · "}
.row{display:grid;grid-template-columns:1fr 1fr;column-gap:2rem;padding:.45rem 1rem;border-bottom:1px solid var(--line);margin:0;font-size:1rem;font-weight:inherit}
.cell{min-width:0;white-space:pre-wrap;overflow-wrap:anywhere}
.cols{position:sticky;top:0;z-index:1;background:var(--bg);font-weight:600;color:var(--muted);font-size:.8rem;letter-spacing:.05em;text-transform:uppercase;border-bottom:2px solid var(--line)}
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
.s{border-radius:3px;transition:background-color .1s}
.s:focus{outline:2px solid #4a7bd0;outline-offset:1px}
.s.${HIGHLIGHT_CLASS}{background:var(--hl)}
.flag{color:var(--flag);font-size:.8em;white-space:nowrap}
.err{color:var(--err);font-weight:600}
@media (prefers-reduced-motion:reduce){.s{transition:none}}
@media (max-width:40rem){
.row{grid-template-columns:1fr;row-gap:.7rem;padding-top:.6rem;padding-bottom:.6rem}
.cols{display:none}
.cell[lang=en]{background:var(--en);box-shadow:0 0 0 .35rem var(--en);border-radius:1px}
}
@media print{
:root{--hl:transparent}
body{font-size:10.5pt;color:#000;background:#fff}
.cols{position:static}
.row{break-inside:avoid;page-break-inside:avoid}
.s{transition:none}
.s.${HIGHLIGHT_CLASS}{background:none}
.s:focus{outline:none}
.cell[lang=en]{background:none;box-shadow:none}
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
function sentenceSpans(block: TranslatedBlock, key: string): Sides {
  const pairs = sentencePairs(block);
  let id = '';
  let en = '';
  pairs.forEach((p, i) => {
    const attrs = `class="s" data-s="${key}-${i}" tabindex="0"`;
    // The last sentence's trailing whitespace would show as a blank line under pre-wrap.
    const gap = i < pairs.length - 1 ? escapeHtml(p.trailing) : '';
    let target = escapeHtml(p.target);
    if (p.flags.length > 0) target += ` <span class="flag" title="${escapeHtml(flagMeanings(p.flags))}">${escapeHtml(flagLabel(p.flags))}</span>`;
    if (p.error !== undefined) {
      target += `${target === '' ? '' : ' '}<span class="err">${escapeHtml(failureLabel(p.error))}</span>`;
    }
    id += `<span ${attrs}>${escapeHtml(i === 0 ? p.source.trimStart() : p.source)}</span>${gap}`;
    en += `<span ${attrs}>${target}</span>${gap}`;
  });
  return { id, en };
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

function blockRow(block: TranslatedBlock, index: number): string {
  const cls = rowClasses(block);
  if (block.kind === 'rule') return `<div class="${cls} wide" role="separator"><div class="cell"></div></div>`;
  if (isVerbatimBlock(block)) {
    const text = block.source.replace(/\n+$/, '');
    return `<div class="${cls} wide"><pre class="cell" translate="no">${escapeHtml(text)}</pre></div>`;
  }
  const { id, en } = sentenceSpans(block, String(index));
  const heading =
    block.kind === 'heading' || block.kind === 'title' ? ` role="heading" aria-level="${block.level ?? 2}"` : '';
  const mk = markerHtml(block);
  return (
    `<div class="${cls}"><div class="cell" lang="id"${heading}>${mk}${id}</div>` +
    `<div class="cell" lang="en"${heading}>${mk}${en}</div></div>`
  );
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function renderHtml(doc: TranslatedDocument): string {
  const title = leadingTitle(doc);
  const name = displayName(doc);
  let pageTitle = name;
  let h1 = `<h1 class="row wide"><span class="cell">${escapeHtml(name)}</span></h1>`;
  if (title !== undefined) {
    const index = doc.blocks.indexOf(title);
    const { id, en } = sentenceSpans(title, String(index));
    pageTitle = oneLine(title.source);
    const english = oneLine(title.target);
    if (english !== '' && english !== pageTitle) pageTitle += ` — ${english}`;
    h1 = `<h1 class="row k-title"><span class="cell" lang="id">${id}</span><span class="cell" lang="en">${en}</span></h1>`;
  }
  const rows: string[] = [];
  doc.blocks.forEach((block, i) => {
    if (block !== title && hasContent(block)) rows.push(blockRow(block, i));
  });
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
    '<header>',
    `<p class="meta"><span>Source: ${escapeHtml(name)}</span><span>Model: ${escapeHtml(doc.model.id)} (${escapeHtml(doc.model.dtype)})</span></p>`,
    h1,
    '</header>',
    '<div class="row cols" aria-hidden="true"><div>Indonesia</div><div>English</div></div>',
    '<main>',
    ...rows,
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
