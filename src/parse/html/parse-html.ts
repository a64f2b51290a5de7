/**
 * Web pages → blocks. The page's text is kept whole: blocks cover the article's text runs, and
 * everything else (head, navigation, scripts, markup between blocks) lies in their markers and
 * trailers, so `marker + source + trailer` over the blocks gives back the page exactly and the
 * English page can be written by replacing only the translated runs.
 */
import { InputFileError } from '../../errors.js';
import type { ParsedDocument } from '../../types.js';
import { assemble } from '../assemble.js';
import { collectSpans, RELATED_TEXT_RE, type BlockChoice } from './blocks.js';
import { findArticle } from './extract.js';
import { isElement, parsePage, textContent, type Element, type PageTree, type ParentNode } from './tree.js';

export type HtmlExtract = 'article' | 'all';

export interface HtmlParseOptions {
  /** article: the main text as Readability finds it; all: every text block of the page. */
  readonly extract: HtmlExtract;
  /** The charset the text was decoded from, recorded on the document for the English page. */
  readonly charset?: string;
  /** For messages. */
  readonly path?: string;
}

export function parseHtml(text: string, opts: HtmlParseOptions): ParsedDocument {
  const tree = parsePage(text);
  const choice = opts.extract === 'all' ? everything() : article(text, tree, opts.path ?? 'page');
  const spans = collectSpans(text, tree, choice);
  if (opts.extract === 'article' && !spans.some((s) => s.kind !== 'title')) throw noArticle(opts.path ?? 'page');
  return assemble(text, spans, 'html', opts.charset === undefined ? {} : { charset: opts.charset });
}

function everything(): BlockChoice {
  return { chosen: () => true };
}

function noArticle(path: string): InputFileError {
  return new InputFileError(
    `${path}: no article found in this page (no main text block); to translate every text block of the page, ` +
      'set input.html.extract: all in the configuration',
    path,
  );
}

/** Readability's own test for a byline's class or id. */
const BYLINE_RE = /byline|author|dateline|writtenby|p-author/i;

function article(text: string, tree: PageTree, path: string): BlockChoice {
  const found = findArticle(text, tree);
  if (found === undefined) throw noArticle(path);
  const kept = new Set<Element>();
  for (const id of found.kept) if (tree.elements[id] !== undefined) kept.add(tree.elements[id]!);
  // Readability keeps the body text; the headline, byline and captions around it usually sit in
  // the same <article> element, which is then the article's scope for those.
  const scope = new Set<Element>(kept);
  for (const el of kept) {
    const outer = enclosingArticle(el, tree);
    if (outer !== undefined) scope.add(outer);
  }
  const byline = (found.byline === undefined ? undefined : bylineElement(tree, found.byline)) ?? bylineByClass(tree, scope);
  return {
    ...(byline === undefined ? {} : { byline }),
    chosen(block, path) {
      if (kept.has(block)) return true;
      if (byline !== undefined && path.includes(byline)) return true;
      const inArticle = path.slice(0, -1).some((p) => scope.has(p));
      if (!inArticle) return false;
      // Readability drops the headline (it reports it as the title) and "Baca juga" boxes; both stay.
      if (/^h[1-3]$/.test(block.tagName) || block.tagName === 'figcaption') return true;
      return path.some((p) => RELATED_TEXT_RE.test(textContent(p)));
    },
  };
}

function enclosingArticle(el: Element, tree: PageTree): Element | undefined {
  for (let n: ParentNode | undefined = el; n !== undefined && 'tagName' in n; n = tree.parentOf.get(n as Element)) {
    const e = n as Element;
    if (e.tagName === 'article' || e.attrs.some((a) => a.name === 'role' && a.value === 'article')) return e;
  }
  return undefined;
}

/** The outermost element in the article whose class or id reads as a byline. */
function bylineByClass(tree: PageTree, scope: ReadonlySet<Element>): Element | undefined {
  for (const el of tree.elements) {
    const cls = `${el.attrs.find((a) => a.name === 'class')?.value ?? ''} ${el.attrs.find((a) => a.name === 'id')?.value ?? ''}`;
    if (!BYLINE_RE.test(cls) || !/\p{L}/u.test(textContent(el))) continue;
    for (let p = tree.parentOf.get(el); p !== undefined && 'tagName' in p; p = tree.parentOf.get(p as Element)) {
      if (scope.has(p as Element)) return el;
    }
  }
  return undefined;
}

/** The innermost element whose whole text is the byline Readability reported. */
function bylineElement(tree: PageTree, byline: string): Element | undefined {
  const want = byline.replace(/\s+/g, ' ').trim();
  let best: Element | undefined;
  for (const el of tree.elements) {
    if (!isElement(el) || el.tagName === 'meta') continue;
    if (textContent(el).replace(/\s+/g, ' ').trim() === want) best = el;
  }
  return best;
}
