/**
 * `x.en.html`: the original page with its article text in English. Every byte outside the
 * translated runs is the input's own (same charset, same markup, scripts and styles), the
 * inline tags of each run are kept in order (the segmenter froze them), and the root element
 * says lang="en", so the page opens and looks like the original, in English.
 */
import { parse } from 'parse5';
import { encodeHtml } from '../parse/html/charset.js';
import { isElement, type Element } from '../parse/html/tree.js';
import type { TranslatedDocument } from '../types.js';
import { displayName } from './common.js';

/** The English page as text: runs replaced, lang="en" on <html>. */
export function englishPageText(doc: TranslatedDocument): string {
  let out = '';
  for (const b of doc.blocks) out += b.marker + (b.translate ? b.target : b.source) + b.trailer;
  return setLang(out, 'en');
}

export function renderEnglishPage(doc: TranslatedDocument): Uint8Array {
  return encodeHtml(englishPageText(doc), doc.charset ?? 'utf-8', displayName(doc));
}

/** `html` with its root element's lang attribute set (added when missing, replaced when present). */
export function setLang(html: string, lang: string): string {
  const document = parse(html, { sourceCodeLocationInfo: true });
  const root = document.childNodes.find((n): n is Element => isElement(n) && n.tagName === 'html');
  const loc = root?.sourceCodeLocation;
  const start = loc?.startTag;
  if (start !== undefined && loc !== undefined && loc !== null) {
    const attr = loc.attrs?.['lang'];
    if (attr !== undefined) return html.slice(0, attr.startOffset) + `lang="${lang}"` + html.slice(attr.endOffset);
    const at = start.startOffset + '<html'.length;
    return html.slice(0, at) + ` lang="${lang}"` + html.slice(at);
  }
  // No <html> tag in the source (browsers imply one): give it one, after the doctype if there is one.
  const doctype = document.childNodes.find((n) => n.nodeName === '#documentType');
  const after = doctype?.sourceCodeLocation?.endOffset ?? (html.startsWith('\uFEFF') ? 1 : 0);
  return html.slice(0, after) + `<html lang="${lang}">` + html.slice(after);
}
