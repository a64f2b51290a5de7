/**
 * Inline tags of a web page through the model. A sentence's paired inline tags (<b>…</b>,
 * <a href=…>…</a>, <em>, <strong>, <i>, <sup>…) and its <br> and inline <img> would otherwise cut it into pieces translated
 * one by one ("Presiden" | "Joko Widodo" | "mengatakan…"); instead the pieces are sent as one
 * text with the tags as bare placeholders ("Presiden <b>Joko Widodo</b> mengatakan…": no
 * attributes, so no URL or class name reaches the model), and the English gets the original tags
 * back at the placeholders' new places. When the model drops, adds or misorders a placeholder,
 * the text is kept, the tags go back around the whole translated stretch (its clause edges), and
 * the sentence is flagged `markup-moved`.
 */
import type { MarkupTag, PlanPart } from '../types.js';

/** Inline elements whose start and end tags may travel through the model. */
const PAIRED = new Set('a abbr b bdi bdo cite del dfn em font i ins mark q s small span strong sub sup time u'.split(' '));
/** Void inline elements that travel as one placeholder each: a line break inside a sentence, an inline image. */
const VOID = new Set(['br', 'wbr', 'img']);
const TAG_RE = /<(\/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>/g;
/** A placeholder in the model's English: a bare start or end tag of a paired element. */
const PLACEHOLDER_RE = /<(\/?)([A-Za-z][A-Za-z0-9]*)\s*\/?>/g;


interface TagAt {
  readonly part: number;
  readonly tag: MarkupTag;
}

/** Tags of a frozen part when it holds only paired inline tags, whitespace and punctuation; undefined otherwise. */
function tagsOnly(text: string): MarkupTag[] | undefined {
  const tags: MarkupTag[] = [];
  let rest = text;
  for (const m of text.matchAll(TAG_RE)) {
    const name = m[2]!.toLowerCase();
    if (!PAIRED.has(name) && !VOID.has(name)) return undefined;
    if (VOID.has(name) && m[1] === '/') return undefined;
    tags.push({ text: m[0], name: (m[1] === '/' ? '/' : '') + name, at: 0 });
    rest = rest.replace(m[0], ' ');
  }
  // Digits and punctuation next to the tags ("<sup>1</sup>", "</a>.") may go with them: they were
  // frozen only for having no letters. Anything else frozen (a URL, code, a void tag) may not.
  return tags.length > 0 && !/[\p{L}<>]/u.test(rest) ? tags : undefined;
}

/** Whether every start tag in `tags` has its end tag among them, properly nested. */
function balanced(tags: readonly MarkupTag[]): boolean {
  const stack: string[] = [];
  for (const t of tags) {
    if (VOID.has(t.name)) continue;
    if (!t.name.startsWith('/')) stack.push(t.name);
    else if (stack.pop() !== t.name.slice(1)) return false;
  }
  return stack.length === 0;
}

/**
 * Parts with each stretch of translatable text and paired inline tags joined into one part that
 * carries its tags (`markup`); its `unit` has them as bare placeholders. `decode` gives the text
 * the model reads for a piece of HTML text (character references decoded).
 */
export function joinInlineMarkup(parts: readonly PlanPart[], decode: (html: string) => string): PlanPart[] {
  const tagsOf = parts.map((p) => (p.frozen && p.target === undefined ? tagsOnly(p.text) : undefined));
  const out: PlanPart[] = [];
  let i = 0;
  while (i < parts.length) {
    // The longest stretch from i of translatable parts and tag-only parts whose tags balance.
    let best = -1;
    const tags: TagAt[] = [];
    let hasText = false;
    let hasTags = false;
    for (let j = i; j < parts.length; j++) {
      const p = parts[j]!;
      if (!p.frozen) hasText = true;
      else if (tagsOf[j] !== undefined) {
        hasTags = true;
        for (const tag of tagsOf[j]!) tags.push({ part: j, tag });
      } else break;
      if (hasText && hasTags && balanced(tags.map((t) => t.tag))) best = j;
    }
    if (best < 0) {
      out.push(parts[i]!);
      i++;
      continue;
    }
    out.push(joined(parts.slice(i, best + 1), decode));
    i = best + 1;
  }
  return out;
}

function joined(run: readonly PlanPart[], decode: (html: string) => string): PlanPart {
  const found: Array<{ text: string; name: string; offset: number }> = [];
  let unit = '';
  let plain = 0;
  for (const p of run) {
    if (!p.frozen) {
      const t = decode(p.text);
      unit += t;
      plain += t.trim().length;
      continue;
    }
    // Between the tags only whitespace, digits and punctuation, which the model reads decoded too.
    let pos = 0;
    for (const m of p.text.matchAll(TAG_RE)) {
      unit += decode(p.text.slice(pos, m.index));
      const n = (m[1] === '/' ? '/' : '') + m[2]!.toLowerCase();
      found.push({ text: m[0], name: n, offset: plain });
      unit += `<${n}>`;
      pos = m.index + m[0].length;
    }
    unit += decode(p.text.slice(pos));
  }
  const markup = found.map((f) => ({ text: f.text, name: f.name, at: plain === 0 ? 0 : f.offset / plain }));
  return { text: run.map((p) => p.text).join(''), frozen: false, unit, markup };
}

/** Private-use characters stand for the tags while the English is escaped. */
const PUA = 0xe000;

/**
 * The English of a part with markup, its tags back in place. `finish` escapes text for the page.
 * `moved` is true when the placeholders did not come back one for one, properly nested.
 */
export function restoreMarkup(english: string, markup: readonly MarkupTag[], finish: (t: string) => string): { text: string; moved: boolean } {
  const clean = english.replace(/[\uE000-\uF8FF]/g, '');
  const used = new Set<number>();
  const seen: MarkupTag[] = [];
  let ok = true;
  const marked = clean.replace(PLACEHOLDER_RE, (m: string, slash: string, name: string) => {
    const n = (slash === '/' ? '/' : '') + name.toLowerCase();
    // The k-th <b> of the English is the k-th <b> of the source.
    const k = markup.findIndex((t, idx) => t.name === n && !used.has(idx));
    if (k < 0) {
      ok = false;
      return ' ';
    }
    used.add(k);
    seen.push(markup[k]!);
    return String.fromCharCode(PUA + k);
  });
  if (ok && used.size === markup.length && balanced(seen)) {
    const text = finish(marked).replace(/[\uE000-\uF8FF]/g, (c) => markup[c.charCodeAt(0) - PUA]!.text);
    return { text, moved: false };
  }
  // Keep the words; the tags go back in their source order (so still properly nested), each at
  // the word or clause edge nearest to where it stood in the source, proportionally.
  const words = finish(marked.replace(/[\uE000-\uF8FF]/g, ' ').replace(/\s+/g, ' '));
  return { text: placeProportionally(words, markup), moved: true };
}

function placeProportionally(words: string, markup: readonly MarkupTag[]): string {
  const tokens = words.split(' ').filter((w) => w !== '');
  const n = tokens.length;
  const slots: number[] = [];
  const opened: number[] = [];
  let prev = 0;
  markup.forEach((t) => {
    let slot = Math.max(prev, Math.min(n, Math.round(t.at * n)));
    // A clause edge one word away wins: the tag then sits at a comma, semicolon or colon.
    for (const d of [1, -1]) {
      const c = slot + d;
      if (c >= prev && c > 0 && c <= n && /[,;:]$/.test(tokens[c - 1]!) && !/[,;:]$/.test(tokens[slot - 1] ?? '')) slot = c;
    }
    if (t.name.startsWith('/')) {
      const open = opened.pop();
      // An element that held words in the source keeps at least one.
      if (open !== undefined && slot <= slots[open]! && slots[open]! < n) slot = slots[open]! + 1;
    } else if (!VOID.has(t.name)) opened.push(slots.length);
    slots.push(slot);
    prev = slot;
  });
  let out = '';
  for (let s = 0; s <= n; s++) {
    const group = markup.filter((_, k) => slots[k] === s);
    const firstOpen = group.findIndex((t) => !t.name.startsWith('/'));
    group.forEach((t, k) => {
      if (k === firstOpen && s > 0) out += ' ';
      out += t.text;
    });
    if (s < n) out += (s > 0 && (firstOpen < 0 || group.length === 0) ? ' ' : '') + tokens[s];
  }
  return out;
}
