/**
 * A web page's translation as plain text, for the bilingual outputs (.id-en.md, .id-en.html,
 * .id-en.tmx, .en.txt): blocks and sentences with their inline tags removed, character references
 * decoded and <br> as a line break. Page furniture (head, navigation, markup between blocks) lives
 * in markers and trailers and is left out; blocks are separated by blank lines.
 * The JSON keeps the raw document instead, so that it still rebuilds the page exactly.
 */
import { decodeEntities, htmlFrozenRanges } from '../segment/html-spans.js';
import type { TranslatedBlock, TranslatedDocument, TranslatedSegment } from '../types.js';

const BR_RE = /^<br\b/i;

/** Text of an HTML fragment as a reader sees it (whitespace collapsed, <br> as "\n"). */
export function htmlToPlain(html: string): string {
  let out = '';
  let pos = 0;
  const text = html.replace(/[\t\n\f\r ]+/g, ' ');
  // Outermost first: a <code> element and the tags inside it are one range, read once.
  for (const [a, b] of [...htmlFrozenRanges(text)].sort((x, y) => x[0] - y[0] || y[1] - x[1])) {
    if (a < pos) continue;
    out += decodeEntities(text.slice(pos, a));
    const tag = text.slice(a, b);
    if (BR_RE.test(tag)) out += '\n';
    else if (/^<(?:code|kbd|samp|var)\b/i.test(tag)) out += decodeEntities(tag.replace(/<[^>]*>/g, ''));
    pos = b;
  }
  out += decodeEntities(text.slice(pos));
  return out.replace(/ *\n */g, '\n');
}

function plainSegments(segments: readonly TranslatedSegment[]): TranslatedSegment[] {
  return segments.map((s) => {
    const source = htmlToPlain(s.source);
    const trailing = htmlToPlain(s.trailing);
    // Whitespace the tags left at the sentence's edges belongs between sentences.
    const lead = /^\s*/.exec(source)![0];
    const tail = /\s*$/.exec(source)![0];
    return {
      ...s,
      source: source.trim(),
      target: htmlToPlain(s.target).trim(),
      trailing: (tail + trailing).replace(/^ +$/, ' ') || (lead !== '' ? ' ' : ''),
    };
  });
}

function plainBlock(block: TranslatedBlock): TranslatedBlock {
  const segments = plainSegments(block.segments);
  // Built from the segments, so that the writers can pair sentence by sentence.
  const source = block.translate && segments.length > 0 ? segments.map((s) => s.source + s.trailing).join('').trimEnd() : htmlToPlain(block.source).trim();
  const last = segments[segments.length - 1];
  const fixed = last === undefined ? segments : [...segments.slice(0, -1), { ...last, trailing: '' }];
  return {
    ...block,
    // A bullet, so that list items read as a list in the English text and show one in the tables.
    marker: block.kind === 'list-item' ? '- ' : '',
    source,
    target: htmlToPlain(block.translate ? block.target : block.source).trim(),
    trailer: '\n\n',
    segments: fixed,
  };
}

export function plainView(doc: TranslatedDocument): TranslatedDocument {
  if (doc.format !== 'html') return doc;
  return { ...doc, format: 'text', blocks: doc.blocks.filter((b) => b.translate).map(plainBlock) };
}
