/**
 * Inline Markdown (emphasis, code, links, images, line breaks) rendered to HTML for the bilingual
 * page, with markdown-it configured safe: no raw HTML (tags in the text are shown as text), links
 * only to http(s), mailto and relative addresses, and every piece of text escaped by our own
 * escaper.
 *
 * A block is rendered in one pass, so that emphasis or a link that spans two sentences still
 * renders; each sentence still gets its own element (for highlighting its counterpart). To know
 * where sentences begin, a whitespace character the text does not contain is put before each
 * piece; markdown-it treats it as a space (so emphasis delimiters flank the same way), and the
 * renderer below closes the open inline elements there and reopens them inside the next piece.
 */
import MarkdownIt, { type Token } from 'markdown-it';

/** One piece of a block: a sentence (wrapped in `open`…`close`) or the gap after it (no wrapper). */
export interface InlinePiece {
  readonly markdown: string;
  /** HTML that opens the piece's element ("" for gaps). */
  readonly open: string;
  /** HTML that closes it, after any notes ("" for gaps). */
  readonly close: string;
}

const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false }).enable('strikethrough');

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** Links and images: http(s), mailto, or no scheme at all (relative paths, #anchors). */
export function isSafeUrl(url: string): boolean {
  // Browsers ignore tabs, newlines and leading control characters in a scheme ("java\tscript:").
  const compact = url.replace(/[\u0000-\u0020\u007F]/g, '');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(compact);
  return scheme === null || SAFE_SCHEMES.has(scheme[1]!.toLowerCase());
}
md.validateLink = isSafeUrl;

/** U+2000–U+200A: spaces to markdown-it, rare in articles; the first one absent from the text is used. */
function pickSentinel(text: string): string | undefined {
  for (let c = 0x2000; c <= 0x200a; c++) {
    const ch = String.fromCharCode(c);
    if (!text.includes(ch)) return ch;
  }
  return undefined;
}

interface OpenTag {
  readonly open: string;
  readonly close: string;
}

/**
 * HTML for `pieces` in order. `escape` escapes text and attribute values. Returns undefined when
 * no sentinel is free (the text holds all eleven typographic spaces): the caller shows plain text.
 */
export function renderInlinePieces(pieces: readonly InlinePiece[], escape: (s: string) => string): string | undefined {
  const sentinel = pickSentinel(pieces.map((p) => p.markdown).join(''));
  if (sentinel === undefined) return undefined;
  const mark: string = sentinel;
  const joined = pieces.map((p, i) => (i === 0 ? '' : sentinel) + p.markdown).join('');
  const tokens = md.parseInline(joined, {})[0]?.children ?? [];

  const stack: OpenTag[] = [];
  // Elements open where the current piece began: reopened inside its own element.
  let inherited: OpenTag[] = [];
  let out = '';
  let k = 0;
  let body = '';
  let blank = true;
  const finishPiece = (): void => {
    const piece = pieces[k]!;
    if (piece.open === '' && piece.close === '' && blank) out += body;
    else {
      out += piece.open + inherited.map((t) => t.open).join('') + body;
      out += [...stack].reverse().map((t) => t.close).join('') + piece.close;
    }
    inherited = [...stack];
    body = '';
    blank = true;
  };
  const emit = (html: string, isBlank: boolean): void => {
    body += html;
    if (!isBlank) blank = false;
  };
  const text = (s: string): void => {
    const parts = s.split(sentinel);
    parts.forEach((part, i) => {
      if (i > 0 && k < pieces.length - 1) {
        finishPiece();
        k++;
      }
      if (part !== '') emit(escape(part), part.trim() === '');
    });
  };
  const push = (tag: OpenTag): void => {
    emit(tag.open, false);
    stack.push(tag);
  };
  const pop = (): void => {
    const tag = stack.pop();
    if (tag !== undefined) emit(tag.close, false);
  };

  for (const token of tokens) renderToken(token);
  finishPiece();
  // Pieces markdown-it left no trace of (nothing after the last sentinel) still get their element.
  while (++k < pieces.length) finishPiece();
  return out;

  function renderToken(token: Token): void {
    switch (token.type) {
      case 'text':
      case 'text_special':
        text(token.content);
        break;
      case 'softbreak':
        emit('\n', true);
        break;
      case 'hardbreak':
        emit('<br>', true);
        break;
      case 'code_inline':
        push({ open: '<code>', close: '</code>' });
        text(token.content);
        pop();
        break;
      case 'em_open':
        push({ open: '<em>', close: '</em>' });
        break;
      case 'strong_open':
        push({ open: '<strong>', close: '</strong>' });
        break;
      case 's_open':
        push({ open: '<s>', close: '</s>' });
        break;
      case 'link_open': {
        const href = String(token.attrGet('href') ?? '').split(mark).join('');
        // markdown-it keeps a refused link as a link with an empty href: show its text only.
        const title = String(token.attrGet('title') ?? '');
        const attrs = title ? ` title="${escape(title.split(mark).join(' '))}"` : '';
        push(href === '' ? { open: '<span class="nolink">', close: '</span>' } : { open: `<a href="${escape(href)}" rel="noreferrer"${attrs}>`, close: '</a>' });
        break;
      }
      case 'em_close':
      case 'strong_close':
      case 's_close':
      case 'link_close':
        pop();
        break;
      case 'image': {
        // The page loads nothing (its CSP forbids it): an image is shown as its description.
        const src = String(token.attrGet('src') ?? '').split(mark).join('');
        push({ open: `<span class="img" title="${escape(`image: ${src}`)}">`, close: '</span>' });
        emit('🖼 ', false);
        for (const child of token.children ?? []) renderToken(child);
        pop();
        break;
      }
      default:
        // html_inline cannot occur (html: false); anything else is shown as its text.
        text(token.content);
    }
  }
}

/** The plain text of inline Markdown (for the page's <title>): markup removed, nothing escaped. */
export function inlinePlainText(markdown: string): string {
  const tokens = md.parseInline(markdown, {})[0]?.children ?? [];
  const walk = (list: readonly Token[]): string =>
    list
      .map((t) => {
        if (t.type === 'text' || t.type === 'text_special' || t.type === 'code_inline') return t.content;
        if (t.type === 'softbreak' || t.type === 'hardbreak') return ' ';
        if (t.type === 'image') return walk(t.children ?? []);
        return '';
      })
      .join('');
  return walk(tokens);
}
