/**
 * Glossary and keep terms: Indonesian terms with a wanted English (DPR → House of
 * Representatives) and terms copied as written. They are cut out of the text sent to the model
 * as frozen parts, because the model renders acronyms inconsistently (KPK as "KPK", "the KPK",
 * "Corruption Eradication Commission" in one article).
 *
 * Matching: whole words; a term with an upper-case letter (DPR, Polri, Bank Indonesia) matches
 * only as written, an all-lower-case term also matches capitalised ("pemilu" in "Pemilu 2024");
 * at each position the longest term wins.
 */

import type { PlanPart } from '../types.js';
import { TermTrie } from './term-trie.js';

export interface TermMatch {
  readonly start: number;
  readonly end: number;
  /** The term as configured (the glossary key or keep entry). */
  readonly term: string;
  /** The English wanted; absent for keep terms (copied as written). */
  readonly target?: string;
}

interface CompiledTerm {
  readonly term: string;
  readonly target: string | undefined;
  readonly caseSensitive: boolean;
}

interface Matcher {
  /** By rank: the order in which terms win at one position (longest first). */
  readonly terms: readonly CompiledTerm[];
  readonly trie: TermTrie | null;
}

const cache = new WeakMap<object, Map<readonly string[] | undefined, Matcher>>();

function compile(glossary: Readonly<Record<string, string>>, keep: readonly string[] | undefined): Matcher {
  let byKeep = cache.get(glossary);
  const hit = byKeep?.get(keep);
  if (hit) return hit;
  const entries = new Map<string, string | undefined>();
  for (const k of keep ?? []) if (k.trim() !== '') entries.set(k.trim(), undefined);
  // Glossary after keep: a term in both gets the glossary's English.
  for (const [k, v] of Object.entries(glossary)) if (k.trim() !== '') entries.set(k.trim(), v);
  const terms: CompiledTerm[] = [...entries]
    .sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1))
    .map(([term, target]) => ({ term, target, caseSensitive: /\p{Lu}/u.test(term) }));
  const trie = terms.length === 0 ? null : new TermTrie(terms.map((t, rank) => ({ term: t.term, rank, caseSensitive: t.caseSensitive })));
  const matcher = { terms, trie };
  if (!byKeep) {
    byKeep = new Map();
    cache.set(glossary, byKeep);
  }
  byKeep.set(keep, matcher);
  return matcher;
}

/** Non-overlapping glossary and keep terms of `text`, in order, longest first at each position. */
export function findTerms(text: string, glossary: Readonly<Record<string, string>>, keep?: readonly string[]): TermMatch[] {
  const { terms, trie } = compile(glossary, keep);
  if (trie === null) return [];
  const out: TermMatch[] = [];
  for (let pos = 0; pos < text.length; ) {
    const m = trie.matchAt(text, pos);
    if (m !== undefined && m.end > pos) {
      const t = terms[m.rank]!;
      out.push({ start: pos, end: m.end, term: t.term, ...(t.target !== undefined ? { target: wantedCase(t, text.slice(pos, m.end)) } : {}) });
      pos = m.end;
    } else {
      pos += text.codePointAt(pos)! > 0xffff ? 2 : 1;
    }
  }
  return out;
}

/** "pemilu" → "election" found as "Pemilu" at a sentence start becomes "Election". */
function wantedCase(t: CompiledTerm, found: string): string {
  const target = t.target ?? '';
  if (t.caseSensitive || !/^\p{Lu}/u.test(found)) return target;
  return target.charAt(0).toUpperCase() + target.slice(1);
}

/**
 * Splits the translatable parts at glossary and keep terms. Frozen parts pass unchanged. The
 * result keeps the ProtectedPart guarantees: texts join to the input, translatable parts contain
 * a letter and have no whitespace at their edges, neighbours differ in `frozen`.
 */
export function applyGlossary(parts: readonly PlanPart[], glossary: Readonly<Record<string, string>>, keep?: readonly string[]): PlanPart[] {
  const raw: PlanPart[] = [];
  for (const part of parts) {
    if (part.frozen) {
      raw.push(part);
      continue;
    }
    let pos = 0;
    for (const m of findTerms(part.text, glossary, keep)) {
      pushFree(raw, part.text.slice(pos, m.start));
      raw.push({ text: part.text.slice(m.start, m.end), frozen: true, ...(m.target !== undefined ? { target: m.target } : {}) });
      pos = m.end;
    }
    pushFree(raw, part.text.slice(pos));
  }
  return merge(raw);
}

/** Text between terms: its edge whitespace, or all of it when it has no letter, is frozen. */
function pushFree(out: PlanPart[], chunk: string): void {
  if (chunk === '') return;
  const body = chunk.trim();
  if (body === '' || !/\p{L}/u.test(body)) {
    out.push({ text: chunk, frozen: true });
    return;
  }
  const lead = chunk.length - chunk.trimStart().length;
  if (lead > 0) out.push({ text: chunk.slice(0, lead), frozen: true });
  out.push({ text: body, frozen: false });
  if (lead + body.length < chunk.length) out.push({ text: chunk.slice(lead + body.length), frozen: true });
}

function merge(parts: readonly PlanPart[]): PlanPart[] {
  const out: PlanPart[] = [];
  for (const p of parts) {
    if (p.text === '') continue;
    const last = out[out.length - 1];
    if (last === undefined || last.frozen !== p.frozen) {
      out.push(p);
      continue;
    }
    const text = last.text + p.text;
    if (last.target === undefined && p.target === undefined) out[out.length - 1] = { text, frozen: last.frozen };
    else out[out.length - 1] = { text, frozen: last.frozen, target: (last.target ?? last.text) + (p.target ?? p.text) };
  }
  return out;
}
