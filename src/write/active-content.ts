/**
 * The English side of a Markdown output must never gain active content its source did not have.
 * A Markdown viewer renders raw HTML (<script>, <img onerror=…>), autolinks and link destinations
 * (javascript:, vbscript:, data:); the model, a glossary entry or a bad segment could bring such a
 * thing into the English. Anything of that kind that is not, character for character, in the
 * source it was translated from is made inert: shown as text, never interpreted.
 *
 * The source itself is kept as it is: a Markdown output is exactly as safe as its input.
 */

/** Raw HTML or an autolink as CommonMark starts one: `<` then a letter, `/`, `!` or `?`, up to `>`. */
const TAG = /<[A-Za-z/!?][^<>]*>?/g;
/** An inline link or image destination: `](` then the destination. */
const INLINE_LINK = /\]\(\s*(<[^>\n]*>|[^\s)]*)/g;
/** A link reference definition: `[label]: destination` at a line start. */
const REFERENCE = /^( {0,3})\[([^\]\n]+)\]:[ \t]*(<[^>\n]*>|\S+)/gm;

/** The scheme a browser would see: entities decoded, tabs, newlines and controls dropped, lower case. */
function schemeOf(destination: string): string {
  const decoded = destination
    .replace(/^<|>$/g, '')
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16) % 0x110000))
    .replace(/&#([0-9]+);?/g, (_, d: string) => String.fromCodePoint(Number(d) % 0x110000))
    .replace(/&colon;/gi, ':')
    .replace(/\\(.)/g, '$1')
    .replace(/[\u0000-\u0020\u007f]/g, '');
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(decoded);
  return m === null ? '' : m[1]!.toLowerCase();
}

const ACTIVE_SCHEMES = new Set(['javascript', 'vbscript', 'data', 'file']);

/** Counts of each exact text in `source`, so the English keeps at most as many copies as the source has. */
class Allowance {
  private readonly used = new Map<string, number>();
  constructor(private readonly source: string) {}
  take(text: string): boolean {
    const used = this.used.get(text) ?? 0;
    let count = 0;
    for (let i = this.source.indexOf(text); i !== -1 && count <= used; i = this.source.indexOf(text, i + 1)) count++;
    if (count <= used) return false;
    this.used.set(text, used + 1);
    return true;
  }
}

/**
 * `english` with every raw HTML tag, autolink and script-capable link that `source` does not
 * contain made inert: `<` becomes `&lt;`, a link's `(` or a reference's `[` is backslash-escaped.
 */
export function defuseActive(english: string, source: string): string {
  if (!/[<\]]/.test(english)) return english;
  const allow = new Allowance(source);
  let out = english.replace(TAG, (tag) => (allow.take(tag) ? tag : '&lt;' + tag.slice(1)));
  out = out.replace(INLINE_LINK, (whole, dest: string, offset: number) => {
    if (!ACTIVE_SCHEMES.has(schemeOf(dest)) || allow.take(whole)) return whole;
    // `[text]\(…)` is no link: the text and the destination are shown as written.
    return out.charAt(offset - 1) === '\\' ? whole : ']\\(' + whole.slice(2);
  });
  out = out.replace(REFERENCE, (whole, indent: string, label: string, dest: string) => {
    if (!ACTIVE_SCHEMES.has(schemeOf(dest)) || allow.take(whole)) return whole;
    return `${indent}\\[${label}]: ${dest}`;
  });
  return out;
}
