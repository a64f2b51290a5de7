/**
 * Issue 9, point 8: glossary matching in one pass over the text, whatever the number of terms, with
 * the matching rules unchanged: whole words, capitals exact, lower-case terms in any case, any
 * whitespace run inside a term, the longest term first at each position.
 */
import { describe, expect, it } from 'vitest';
import { findTerms, type TermMatch } from '../../src/segment/glossary.js';
import { TermTrie } from '../../src/segment/term-trie.js';
import { seededRandom } from '../../testmodel/seeded-random.js';

/**
 * The matcher as it was before the trie (one regular expression per term, tried in order at each
 * candidate position): an independent statement of the rules, to compare the trie against.
 */
function referenceTerms(text: string, glossary: Record<string, string>, keep: readonly string[]): Array<Pick<TermMatch, 'start' | 'end' | 'term'>> {
  const BEFORE = '(?<![\\p{L}\\p{N}_])';
  const AFTER = '(?![\\p{L}\\p{N}_])';
  const escape = (term: string): string => term.trim().split(/\s+/u).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+');
  const entries = new Map<string, string | undefined>();
  for (const k of keep) if (k.trim() !== '') entries.set(k.trim(), undefined);
  for (const [k, v] of Object.entries(glossary)) if (k.trim() !== '') entries.set(k.trim(), v);
  const terms = [...entries.keys()]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((term) => ({ term, re: new RegExp(BEFORE + escape(term) + AFTER, /\p{Lu}/u.test(term) ? 'uy' : 'iuy') }));
  const out: Array<Pick<TermMatch, 'start' | 'end' | 'term'>> = [];
  for (let pos = 0; pos < text.length; ) {
    let hit: { end: number; term: string } | undefined;
    for (const t of terms) {
      t.re.lastIndex = pos;
      const m = t.re.exec(text);
      if (m) {
        hit = { end: pos + m[0].length, term: t.term };
        break;
      }
    }
    if (hit && hit.end > pos) {
      out.push({ start: pos, end: hit.end, term: hit.term });
      pos = hit.end;
    } else pos += text.codePointAt(pos)! > 0xffff ? 2 : 1;
  }
  return out;
}

const ALPHABET = ['a', 'b', 'A', 'B', 'é', 'É', 'ß', '1', '_', '-', '.', ' ', '  ', '\n', '\u00a0', '😀', 'ſ', 'K'];

function randomText(rand: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

describe('findTerms on many terms', () => {
  it('agrees with one regular expression per term on random texts and terms', () => {
    const rand = seededRandom(9);
    for (let round = 0; round < 200; round++) {
      const glossary: Record<string, string> = {};
      const keep: string[] = [];
      const n = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < n; i++) {
        const term = randomText(rand, 1 + Math.floor(rand() * 5));
        if (rand() < 0.3) keep.push(term);
        else glossary[term] = `en${i}`;
      }
      const text = randomText(rand, 40);
      const got = findTerms(text, glossary, keep).map(({ start, end, term }) => ({ start, end, term }));
      expect(got, JSON.stringify({ text, glossary, keep })).toEqual(referenceTerms(text, glossary, keep));
    }
  });

  it('finds the right terms among 100,000 in a long article', () => {
    const glossary: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) glossary[`istilah ${i}`] = `term ${i}`;
    glossary['Bank Indonesia'] = 'Bank Indonesia';
    const sentence = 'Menurut Bank  Indonesia, istilah 42 dan Istilah 99999 berbeda dari istilah 1000000 dan istilah 7x. ';
    const text = sentence.repeat(200);
    const found = findTerms(text, glossary);
    expect(found.slice(0, 3).map((m) => [text.slice(m.start, m.end), m.target])).toEqual([
      ['Bank  Indonesia', 'Bank Indonesia'],
      ['istilah 42', 'term 42'],
      ['Istilah 99999', 'Term 99999'],
    ]);
    // "istilah 1000000" is not a term, and "istilah 100000" inside it is not a whole word.
    expect(found).toHaveLength(600);
  });

  it('builds a trie no larger than the terms\' characters', () => {
    const terms = Array.from({ length: 100_000 }, (_, i) => ({ term: `istilah ${i}`, rank: i, caseSensitive: false }));
    const chars = terms.reduce((n, t) => n + t.term.length, 0);
    expect(new TermTrie(terms).size).toBeLessThanOrEqual(chars + 2);
  });
});
