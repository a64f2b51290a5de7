/**
 * A small XML 1.0 well-formedness checker for tests (no dependency): declaration, one root,
 * balanced and properly nested tags, quoted unique attributes, known entities, allowed characters.
 * Returns the elements found, in document order.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Text directly inside, entities decoded. */
  text: string;
  readonly children: XmlElement[];
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*/;
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(text: string, where: number): string {
  return text.replace(/&([^;&]*);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & at ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ref in named) return named[ref]!;
    const num = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ref);
    if (num === null) throw new Error(`unknown entity &${ref}; at ${where}`);
    const cp = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
    const ch = String.fromCodePoint(cp);
    if (FORBIDDEN.test(ch)) throw new Error(`character reference to forbidden U+${cp.toString(16)} at ${where}`);
    return ch;
  });
}

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('forbidden character in document');
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (decl === null) throw new Error('missing XML declaration');
  let i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.includes('>')) throw new Error(`raw > in text at ${i}`);
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (text.trim() !== '') throw new Error(`text outside the root at ${i}`);
    } else {
      top.text += decode(text, i);
    }
    if (lt === -1) break;
    const gt = xml.indexOf('>', lt);
    if (gt === -1) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (open === undefined || open.name !== tag.slice(1)) throw new Error(`mismatched </${tag.slice(1)}> at ${lt}`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = NAME.exec(body)?.[0];
    if (name === undefined) throw new Error(`bad tag name at ${lt}`);
    const attrs: Record<string, string> = {};
    let rest = body.slice(name.length);
    while (rest.trim() !== '') {
      const m = /^\s+([A-Za-z_:][-A-Za-z0-9_.:]*)="([^"<]*)"/.exec(rest);
      if (m === null) throw new Error(`bad attribute in <${name}> at ${lt}: ${rest}`);
      if (m[1]! in attrs) throw new Error(`duplicate attribute ${m[1]} at ${lt}`);
      attrs[m[1]!] = decode(m[2]!, lt);
      rest = rest.slice(m[0].length);
    }
    const el: XmlElement = { name, attrs, text: '', children: [] };
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(el);
    else if (root === undefined) root = el;
    else throw new Error(`second root element at ${lt}`);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    out.push(...findAll(c, name));
  }
  return out;
}
