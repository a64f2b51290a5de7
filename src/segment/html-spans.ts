/**
 * What must stay as written in a run of a web page's HTML: tags (with their attributes),
 * comments, and whole elements whose text is code (<code>, <kbd>, <samp>, <var>) or not text
 * at all (<script>, <style>). Inline tags are frozen like Markdown syntax, so the model only ever
 * sees the words between them and the English keeps each tag, in order, around the same words.
 */
import type { Range } from './span-rules.js';

/** A start or end tag with attributes (quoted values may hold ">"). */
const TAG_RE = /<\/?[A-Za-z][^\s/>]*(?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?|\s*\/)*\s*>/g;
const VERBATIM_ELEMENT_RE = /<(code|kbd|samp|var|script|style|noscript|math|svg)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

export function htmlFrozenRanges(text: string): Range[] {
  if (!text.includes('<')) return [];
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(VERBATIM_ELEMENT_RE)) out.push([m.index, m.index + m[0].length]);
  for (const m of text.matchAll(TAG_RE)) out.push([m.index, m.index + m[0].length]);
  for (let start = text.indexOf('<!--'); start >= 0; ) {
    const close = text.indexOf('-->', start + 4);
    const end = close < 0 ? text.length : close + 3;
    out.push([start, end]);
    start = text.indexOf('<!--', end);
  }
  return out;
}

/**
 * `text` with every frozen range replaced by as many spaces: the sentence splitter then reads
 * "akhir.</b> Kalimat" as "akhir.     Kalimat", and offsets still match the original.
 */
export function maskHtml(text: string): string {
  let out = text;
  for (const [a, b] of htmlFrozenRanges(text)) out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
  return out;
}

/** Character references decoded, for the text sent to the model ("Rp&nbsp;5" → "Rp 5"). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));?/g, (m, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined || hex !== undefined) {
      const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
      return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\uFFFD';
    }
    return NAMED[name!.toLowerCase()] ?? m;
  });
}

/** The named references that occur in news text; others stay as written (and still display). */
const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·', copy: '©',
  reg: '®', trade: '™', deg: '°', times: '×', divide: '÷', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§',
  para: '¶', shy: '\u00ad', zwnj: '\u200c', zwj: '\u200d', eacute: 'é', egrave: 'è', aacute: 'á', agrave: 'à',
  uuml: 'ü', ouml: 'ö', auml: 'ä', ccedil: 'ç', ntilde: 'ñ', iacute: 'í', oacute: 'ó', uacute: 'ú',
};

/** English text for inside HTML: the characters that would read as markup escaped. */
export function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
