/**
 * Reviewing a file that came from a web page. Its JSON holds each sentence as the page's HTML
 * (inline tags with their attributes, character references), which is not what a person should
 * type into: the page shows and edits a sentence as the model reads it — references decoded, each
 * inline tag as a bare placeholder ("Presiden <b>Joko Widodo</b> berkata…") — and a saved English
 * gets the sentence's own tags back by the pipeline's rule (reassemble/markup.ts), its text
 * escaped as the pipeline escapes the model's English. No attribute, and no tag the source
 * sentence lacks, can come in from a request.
 *
 * The English page x.en.html is rendered by the pipeline's writer from the JSON, in the page's
 * charset, which the JSON does not record: it is read again from the original page, which must
 * still be the one that was translated (same sha256), so that x.en.html cannot end up disagreeing
 * with the other outputs or with the page.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { decodeHtml } from '../parse/html/charset.js';
import { restoreMarkup } from '../reassemble/markup.js';
import { finishUnit } from '../reassemble/unit-format.js';
import { decodeEntities, htmlFrozenRanges } from '../segment/html-spans.js';
import type { DocumentFormat, MarkupTag, TranslatedDocument } from '../types.js';
import { HttpError } from './body.js';
import type { CatalogFile } from './catalog.js';

/** A start or end tag as the frozen ranges give it; its name is what the model (and the editor) sees. */
const TAG_NAME_RE = /^<(\/?)([A-Za-z][A-Za-z0-9]*)/;
/** Frozen ranges that are not plain tags: comments and whole code/script elements, shown and kept verbatim. */
const NOT_A_TAG_RE = /^<(?:!--|(?:code|kbd|samp|var|script|style|noscript|math|svg)\b)/i;

/** The tags of an HTML sentence in order, outermost ranges only (as the plain-text view reads them). */
function frozenPieces(html: string): Array<{ start: number; end: number; text: string }> {
  const pieces: Array<{ start: number; end: number; text: string }> = [];
  let pos = 0;
  for (const [a, b] of [...htmlFrozenRanges(html)].sort((x, y) => x[0] - y[0] || y[1] - x[1])) {
    if (a < pos) continue;
    pieces.push({ start: a, end: b, text: html.slice(a, b) });
    pos = b;
  }
  return pieces;
}

/** A sentence as the review page shows and edits it (web pages: references decoded, tags as bare placeholders). */
export function shownText(format: DocumentFormat, html: string): string {
  if (format !== 'html') return html;
  let out = '';
  let pos = 0;
  for (const p of frozenPieces(html)) {
    out += decodeEntities(html.slice(pos, p.start));
    const m = TAG_NAME_RE.exec(p.text);
    out += m !== null && !NOT_A_TAG_RE.test(p.text) ? `<${m[1]}${m[2]!.toLowerCase()}>` : p.text;
    pos = p.end;
  }
  return out + decodeEntities(html.slice(pos));
}

/**
 * A person's English for a sentence, as document text of `format`. For web pages: the source
 * sentence's tags back at their placeholders, its code elements and comments where the person
 * left them (as shown, verbatim), the text escaped; an English that drops, adds or misnests a
 * placeholder, or drops a code element, is refused (400) with what it must keep, rather than the
 * markup being moved silently.
 */
export function documentTarget(format: DocumentFormat, sourceHtml: string, english: string): string {
  if (format !== 'html') return english;
  const markup: MarkupTag[] = [];
  const verbatim: string[] = [];
  for (const p of frozenPieces(sourceHtml)) {
    const m = TAG_NAME_RE.exec(p.text);
    if (NOT_A_TAG_RE.test(p.text)) verbatim.push(p.text);
    else if (m !== null) markup.push({ text: p.text, name: `${m[1]}${m[2]!.toLowerCase()}`, at: 0 });
  }
  // Code and comments stand in as NUL-delimited numbers while the text is escaped (a NUL cannot come from a request).
  let text = english.replace(/\0/g, '');
  const missing: string[] = [];
  verbatim.forEach((v, k) => {
    const at = text.indexOf(v);
    if (at < 0) missing.push(v);
    else text = text.slice(0, at) + `\0${k}\0` + text.slice(at + v.length);
  });
  if (missing.length > 0) {
    throw new HttpError(400, `not saved: the English must keep, as written, ${missing.join(' and ')}`, { reason: 'markup' });
  }
  const finish = finishUnit('html');
  let out: string;
  if (markup.length === 0) {
    // No tags to place: a "<…>" the person typed is text, escaped like any other.
    out = finish(text);
  } else {
    const restored = restoreMarkup(text, markup, finish);
    const inOrder = restored.moved ? sameTagsInOrder(text, markup, finish) : restored.text;
    if (inOrder === undefined) {
      const names = markup.map((t) => `<${t.name}>`).join(' ');
      throw new HttpError(400, `not saved: the English must keep this sentence's tags, each once (nested, or in the order of the Indonesian): ${names}`, { reason: 'markup' });
    }
    out = inOrder;
  }
  return out.replace(/\0(\d+)\0/g, (_, k: string) => verbatim[Number(k)]!);
}

const PLACEHOLDER_RE = /<(\/?)([A-Za-z][A-Za-z0-9]*)\s*\/?>/g;
const PUA = 0xe000;

/**
 * A sentence may hold half of an element (the segmenter cuts "<b>Satu. Dua.</b>" between its
 * sentences), which restoreMarkup's nesting check refuses; such tags are taken as they come, when
 * the English has the source's placeholders one for one, in the source's order.
 */
function sameTagsInOrder(english: string, markup: readonly MarkupTag[], finish: (t: string) => string): string | undefined {
  let k = 0;
  let ok = true;
  const marked = english.replace(/[\uE000-\uF8FF]/g, '').replace(PLACEHOLDER_RE, (_m, slash: string, name: string) => {
    const want = markup[k];
    if (want === undefined || want.name !== `${slash}${name.toLowerCase()}`) ok = false;
    return String.fromCharCode(PUA + k++);
  });
  if (!ok || k !== markup.length) return undefined;
  return finish(marked).replace(/[\uE000-\uF8FF]/g, (c) => markup[c.charCodeAt(0) - PUA]!.text);
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/**
 * The document with the charset of the page it came from, for rendering x.en.html; refused (409)
 * when that page is not known, gone, changed, or no longer the text the JSON was made from.
 */
export async function withOriginalPage(file: CatalogFile, doc: TranslatedDocument): Promise<TranslatedDocument> {
  if (doc.format !== 'html' || !file.formats.includes('txt')) return doc;
  const page = `${file.name}.en.html`;
  const rerun = 'run dwibahasa translate on it again (the edit can then be made on the new translation)';
  const refuse = (why: string): HttpError =>
    new HttpError(409, `not saved: ${page} is made from the original page, and ${why}; nothing was changed. To review this file, ${rerun}`, { reason: 'page' });
  if (file.input === undefined) throw refuse('the folder has no run manifest (.dwibahasa/run.json) saying where that page is');
  let bytes: Buffer;
  try {
    bytes = await readFile(file.input.path);
  } catch (err) {
    throw refuse(
      errCode(err) === 'ENOENT'
        ? `${file.input.path} is no longer there`
        : `${file.input.path} cannot be read (${errCode(err) ?? String(err)})`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== file.input.sha256 || sha256 !== doc.source.sha256) {
    throw refuse(`${file.input.path} changed since it was translated (its sha256 differs from the one the run recorded)`);
  }
  let decoded;
  try {
    decoded = decodeHtml(bytes, file.input.path);
  } catch (err) {
    throw refuse(`${file.input.path} cannot be decoded (${err instanceof Error ? err.message : String(err)})`);
  }
  // The JSON rebuilds the page (marker + source + trailer over its blocks); if it does not, it was
  // not made from this page, and x.en.html would mix the two.
  const rebuilt = doc.blocks.map((b) => b.marker + b.source + b.trailer).join('');
  if (rebuilt !== decoded.text) throw refuse(`${file.name}.id-en.json does not rebuild ${file.input.path}`);
  return { ...doc, charset: decoded.charset };
}
