/**
 * What the model's English of one unit needs before it can stand in the document, per input
 * format, and what the model is given for a unit:
 * - Markdown: English that starts with block markup ("> ", "# ", "- ", "1. ", "|", "===", "```")
 *   would turn a paragraph into a quote, heading, list or fence, so that first character is
 *   backslash-escaped (CommonMark renders "\-" as "-"); pipes become "&#124;" everywhere, since one
 *   in a table cell splits the cell and one in a paragraph may start a table; line breaks become spaces.
 * - HTML: the model reads the text with character references decoded, and its English is
 *   escaped back into HTML text.
 * - Plain text: as it comes.
 */
import type { DocumentFormat } from '../types.js';
import { decodeEntities, escapeHtmlText } from '../segment/html-spans.js';
import { joinInlineMarkup } from './markup.js';
import type { PlanPart } from '../types.js';

/** Block-level markup at the start of a line: quote, heading, bullet, setext line, table, fence, HTML, definition. */
const MD_BLOCK_START_RE = /^(?:[>#+\-*=<[_]|~~~|```)/;
const MD_ORDERED_RE = /^(\d{1,9})([.)])/;

export function escapeMarkdownUnit(english: string): string {
  let t = english.replace(/\s+/g, ' ').trim();
  // As a reference, not "\|": a GFM parser counts an escaped pipe when it looks for a table row.
  t = t.replace(/\|/g, '&#124;');
  if (MD_ORDERED_RE.test(t)) return t.replace(MD_ORDERED_RE, '$1\\$2');
  return MD_BLOCK_START_RE.test(t) ? `\\${t}` : t;
}

/** The function that turns a unit's English into document text for `format`. */
export function finishUnit(format: DocumentFormat): (english: string) => string {
  switch (format) {
    case 'markdown':
      return escapeMarkdownUnit;
    case 'html':
      return (english) => escapeHtmlText(english.replace(/\s+/g, ' ').trim());
    case 'text':
      return (english) => english;
  }
}

/** Parts as the model should read them: in HTML, translatable parts get their decoded text as `unit`. */
export function prepareParts(format: DocumentFormat, parts: readonly PlanPart[]): PlanPart[] {
  if (format !== 'html') return [...parts];
  const decoded = parts.map((p) => (p.frozen ? p : { ...p, unit: decodeEntities(p.text) }));
  return joinInlineMarkup(decoded, decodeEntities);
}

/** A tag, or a character reference, as HTML text may hold them. */
const TAG_RE = /<[^<>]*>/g;
const BARE_AMP_RE = /&(?!#\d{1,7};|#x[0-9a-f]{1,6};|[a-z][a-z0-9]{1,31};)/i;

/**
 * A person's English from the memory, as document text of `format`. The memory is shared by every
 * file, whatever its format, and the review page stores a web page's English in that page's HTML
 * form but a text file's English as typed: in a web page, an English is used as HTML only when
 * every tag in it is one of the source sentence's own tags and its text holds no stray "<", ">" or
 * "&"; anything else is text and escaped, so no markup can come in through the memory.
 */
export function humanEnglish(format: DocumentFormat, english: string, sourceSentence: string): string {
  if (format !== 'html') return english;
  const allowed = new Set(sourceSentence.match(TAG_RE) ?? []);
  const tags = english.match(TAG_RE) ?? [];
  const text = english.replace(TAG_RE, '');
  const isHtml = tags.every((t) => allowed.has(t)) && !/[<>]/.test(text) && !BARE_AMP_RE.test(text);
  return isHtml ? english : escapeHtmlText(english);
}
