/**
 * The text blocks of a page: runs of inline content (text, <b>, <a>, <br>…) between block
 * elements, each located by its exact source offsets. A block's `source` is the raw HTML of its
 * run, inline tags included: the segmenter freezes the tags, so the English page keeps every one
 * of them, in order, around the translated words.
 */
import { parseFragment } from 'parse5';
import type { BlockKind } from '../../types.js';
import type { Span } from '../assemble.js';
import { attr, isElement, isText, nodeRange, textContent, type ChildNode, type Element, type PageTree, type ParentNode } from './tree.js';

/** Elements that end a run of inline content; their own inline children form runs of their own. */
const BLOCK_TAGS = new Set(
  ('address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption figure ' +
    'h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu ol p search section summary table tbody td tfoot th thead ' +
    'title tr ul legend').split(' '),
);

/** Never sent to the model, whatever the extraction mode: code, scripts, navigation, furniture. */
const EXCLUDED_TAGS = new Set(
  ('script style noscript template pre textarea select option optgroup button input svg math iframe object embed ' +
    'canvas video audio map nav footer form head frameset noframes').split(' '),
);

const AD_RE = /(?:^|[\s_-])(?:ads?|advert\w*|iklan|banner|sponsor\w*|promo)(?:$|[\s_-])/i;
const RELATED_CLASS_RE = /related|terkait|baca-?juga|read-?also|see-?also/i;
/** "Baca juga:", "Simak juga", "Lihat juga", "Berita terkait", "Artikel terkait". */
export const RELATED_TEXT_RE = /^\s*(?:(?:baca|simak|lihat)\s+(?:juga|pula)|(?:berita|artikel)\s+terkait)\b/i;

export interface BlockChoice {
  /** Whether a run in this block element belongs to the translated text. */
  chosen(block: Element, path: readonly Element[]): boolean;
  /** The element holding the byline, if the article has one. */
  readonly byline?: Element;
}

/** Whether an element and everything in it stays out of the translation. */
export function isExcluded(el: Element): boolean {
  if (EXCLUDED_TAGS.has(el.tagName)) return true;
  const role = attr(el, 'role');
  if (role === 'navigation' || role === 'contentinfo' || role === 'search') return true;
  if (attr(el, 'aria-hidden') === 'true' || attr(el, 'hidden') !== undefined) return true;
  return AD_RE.test(attr(el, 'class') ?? '') || AD_RE.test(attr(el, 'id') ?? '');
}

const LETTER_RE = /\p{L}/u;

export function collectSpans(text: string, tree: PageTree, choice: BlockChoice): Span[] {
  const spans: Span[] = [];
  const head = tree.elements.find((e) => e.tagName === 'title' && !insideSvg(e, tree));
  if (head !== undefined) pushRun(spans, text, [...head.childNodes], 'title', head);
  const body = tree.elements.find((e) => e.tagName === 'body') ?? findImplied(tree, 'body');
  if (body !== undefined) walk(body, [body], spans, text, tree, choice);
  spans.sort((a, b) => a.sourceStart - b.sourceStart);
  // Foster-parented or misnested markup can make tree order differ from source order; a block
  // that would overlap another is left untranslated rather than risk rewriting the wrong bytes.
  return spans.filter((s, i) => i === 0 || s.sourceStart >= spans[i - 1]!.sourceEnd);
}

function insideSvg(el: Element, tree: PageTree): boolean {
  for (let p = tree.parentOf.get(el); p !== undefined && isElement(p as ChildNode); p = tree.parentOf.get(p as ChildNode)) {
    if ((p as Element).tagName === 'svg') return true;
  }
  return false;
}

function findImplied(tree: PageTree, tag: string): Element | undefined {
  const html = tree.document.childNodes.find((n): n is Element => isElement(n) && n.tagName === 'html');
  return html?.childNodes.find((n): n is Element => isElement(n) && n.tagName === tag);
}

/** Inline content: text, comments and non-block elements holding no block or excluded element. */
function isInline(node: ChildNode): boolean {
  if (!isElement(node)) return true;
  if (BLOCK_TAGS.has(node.tagName) || isExcluded(node)) return false;
  return node.childNodes.every(isInline);
}

function walk(el: Element, path: readonly Element[], spans: Span[], text: string, tree: PageTree, choice: BlockChoice): void {
  let run: ChildNode[] = [];
  const flush = (): void => {
    if (run.length > 0 && choice.chosen(el, path)) {
      const related = isRelatedContext(path, tree) || RELATED_TEXT_RE.test(runText(run));
      pushRun(spans, text, run, kindOf(el, path, choice), el, related);
    }
    run = [];
  };
  for (const child of childrenOf(el)) {
    if (isInline(child)) {
      run.push(child);
      continue;
    }
    flush();
    if (isElement(child) && !isExcluded(child)) walk(child, [...path, child], spans, text, tree, choice);
  }
  flush();
}

function childrenOf(el: Element): ChildNode[] {
  return el.childNodes;
}

function runText(run: readonly ChildNode[]): string {
  return run.map(textContent).join('');
}

function kindOf(el: Element, path: readonly Element[], choice: BlockChoice): BlockKind {
  if (choice.byline !== undefined && path.includes(choice.byline)) return 'label';
  const tag = el.tagName;
  if (/^h[1-6]$/.test(tag)) return 'heading';
  if (tag === 'li' || tag === 'dd' || tag === 'dt') return 'list-item';
  if (tag === 'td' || tag === 'th') return 'table-cell';
  if (path.some((p) => p.tagName === 'blockquote')) return 'quote';
  return 'paragraph';
}

/** Inside a "related links" box, or a list right after a "Baca juga:" line. */
function isRelatedContext(path: readonly Element[], tree: PageTree): boolean {
  for (const p of path.slice(-4)) {
    if (RELATED_CLASS_RE.test(`${attr(p, 'class') ?? ''} ${attr(p, 'id') ?? ''}`)) return true;
  }
  const list = [...path].reverse().find((p) => p.tagName === 'ul' || p.tagName === 'ol');
  if (list === undefined) return false;
  const parent = tree.parentOf.get(list);
  if (parent === undefined) return false;
  const siblings = parent.childNodes.filter((n) => isElement(n) || (isText(n) && n.value.trim() !== ''));
  const before = siblings[siblings.indexOf(list) - 1];
  return before !== undefined && RELATED_TEXT_RE.test(textContent(before));
}

function pushRun(spans: Span[], text: string, run: readonly ChildNode[], kind: BlockKind, el: Element, related = false): void {
  const plain = runText(run);
  if (!LETTER_RE.test(plain)) return;
  const ranges = run.map(nodeRange).filter((r): r is readonly [number, number] => r !== undefined);
  if (ranges.length !== run.length || ranges.length === 0) return;
  let start = Math.min(...ranges.map((r) => r[0]));
  let end = Math.max(...ranges.map((r) => r[1]));
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  // The bytes must hold exactly this run's text, or rewriting them could touch something else.
  if (squash(textContent(parseFragment(text.slice(start, end)))) !== squash(plain)) return;
  const level = /^h([1-6])$/.exec(el.tagName)?.[1];
  spans.push({
    kind,
    markerStart: start,
    sourceStart: start,
    sourceEnd: end,
    translate: true,
    ...(kind === 'heading' && level !== undefined ? { level: Number(level) } : {}),
    ...(related ? { related: true } : {}),
  });
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
