import { describe, expect, it } from 'vitest';
import { compileGlob, compileGlobs } from '../../src/discover/glob.js';

function m(pattern: string, p: string): boolean {
  return compileGlob(pattern)(p);
}

describe('compileGlob', () => {
  it('"**/" matches zero or more whole folders', () => {
    expect(m('**/*.md', 'a.md')).toBe(true);
    expect(m('**/*.md', 'x/y/a.md')).toBe(true);
    expect(m('**/*.md', 'a.mdx')).toBe(false);
    expect(m('news/**/*.txt', 'news/a.txt')).toBe(true);
    expect(m('news/**/*.txt', 'news/2024/05/a.txt')).toBe(true);
    expect(m('news/**/*.txt', 'other/news/a.txt')).toBe(false);
    expect(m('drafts/**', 'drafts/a/b.md')).toBe(true);
    expect(m('**', 'any/thing.bin')).toBe(true);
  });

  it('"*" and "?" stay within one segment', () => {
    expect(m('*.txt', 'a.txt')).toBe(true);
    expect(m('*.txt', 'dir/a.txt')).toBe(false);
    expect(m('a?c.md', 'abc.md')).toBe(true);
    expect(m('a?c.md', 'a/c.md')).toBe(false);
    expect(m('a?c.md', 'ac.md')).toBe(false);
    // "?" is one character even outside the BMP.
    expect(m('?.md', '😀.md')).toBe(true);
    // "**" inside a segment is just "*".
    expect(m('a**b', 'axxb')).toBe(true);
    expect(m('a**b', 'a/b')).toBe(false);
  });

  it('supports {a,b} alternatives, nested', () => {
    expect(m('**/*.{md,txt}', 'x/a.txt')).toBe(true);
    expect(m('**/*.{md,txt}', 'x/a.html')).toBe(false);
    expect(m('{news,opini/{2023,2024}}/*.md', 'opini/2024/a.md')).toBe(true);
    expect(m('{news,opini/{2023,2024}}/*.md', 'opini/2022/a.md')).toBe(false);
    expect(m('{news,opini/{2023,2024}}/*.md', 'news/a.md')).toBe(true);
  });

  it('supports character classes, ranges and negation, never matching "/"', () => {
    expect(m('[abc].md', 'b.md')).toBe(true);
    expect(m('[abc].md', 'd.md')).toBe(false);
    expect(m('file[0-9].txt', 'file7.txt')).toBe(true);
    expect(m('file[0-9].txt', 'filex.txt')).toBe(false);
    expect(m('[!a]*.md', 'b.md')).toBe(true);
    expect(m('[!a]*.md', 'a.md')).toBe(false);
    expect(m('[^a]*.md', 'a.md')).toBe(false);
    expect(m('x[!a]y', 'x/y')).toBe(false);
    expect(m('x[/]y', 'x/y')).toBe(false);
    expect(m('[]]x', ']x')).toBe(true);
  });

  it('takes unclosed brackets and braces, regex characters and escapes literally', () => {
    expect(m('notes[1.md', 'notes[1.md')).toBe(true);
    expect(m('a{b.md', 'a{b.md')).toBe(true);
    expect(m('a+b(1).md', 'a+b(1).md')).toBe(true);
    expect(m('a.md', 'aXmd')).toBe(false);
    expect(m('\\*.md', '*.md')).toBe(true);
    expect(m('\\*.md', 'a.md')).toBe(false);
    expect(m('./a.md', 'a.md')).toBe(true);
  });

  it('is case-sensitive and anchored', () => {
    expect(m('*.md', 'A.MD')).toBe(false);
    expect(m('a.md', 'xa.md')).toBe(false);
    expect(m('a.md', 'a.md.bak')).toBe(false);
  });

  it('compileGlobs matches when any pattern does, and nothing for an empty list', () => {
    const any = compileGlobs(['*.md', '*.txt']);
    expect(any('a.txt')).toBe(true);
    expect(any('a.html')).toBe(false);
    expect(compileGlobs([])('a.md')).toBe(false);
  });
});
