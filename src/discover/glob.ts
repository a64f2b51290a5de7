/**
 * A small glob matcher for include/exclude patterns, matched against POSIX relative paths.
 *
 * Supported: `**` (any number of whole path segments, including none), `*` (any run of characters
 * within one segment), `?` (one character other than "/"), `{a,b}` (alternatives, nestable),
 * `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` (character classes, never matching "/"), and `\x` (a literal x).
 * An unclosed `[` or `{` is taken literally, so a file name such as "notes[1].md" can still be written as is.
 * Matching is case-sensitive, like the file systems the tool mostly runs on.
 */

export type GlobMatcher = (relPath: string) => boolean;

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

function escapeRegex(s: string): string {
  return s.replace(REGEX_SPECIAL, '\\$&');
}

/** Index of the `}` closing the `{` at `open`, or -1 when unclosed. */
function findBraceClose(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      const close = findClassClose(p, i);
      if (close !== -1) i = close;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Index of the `]` closing the class that opens at `open`, or -1 when unclosed. */
function findClassClose(p: string, open: number): number {
  let i = open + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  // A "]" right after the opening (or the negation) is a member, not the end.
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']') return i;
  }
  return -1;
}

function classToRegex(body: string): string {
  let negate = false;
  let i = 0;
  if (body[0] === '!' || body[0] === '^') {
    negate = true;
    i = 1;
  }
  let out = '';
  for (; i < body.length; i++) {
    let c = body[i] as string;
    if (c === '\\' && i + 1 < body.length) {
      i++;
      c = body[i] as string;
    }
    // Inside a JS class only these need escaping; "-" is kept as the range operator.
    out += c === '\\' || c === ']' || c === '[' || c === '^' ? `\\${c}` : c;
  }
  return negate ? `[^/${out}]` : `(?!/)[${out}]`;
}

/** Split the body of a `{…}` group on its top-level commas. */
function splitAlternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function toRegexSource(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') {
      if (i + 1 < p.length) {
        i++;
        out += escapeRegex(p[i] as string);
      } else {
        out += '\\\\';
      }
    } else if (c === '*') {
      const atSegmentStart = i === 0 || p[i - 1] === '/';
      if (p[i + 1] === '*' && atSegmentStart && (i + 2 === p.length || p[i + 2] === '/')) {
        if (i + 2 === p.length) {
          out += '.*';
          i += 1;
        } else {
          // "**/" matches zero or more whole segments, so "**/*.md" also matches "a.md".
          out += '(?:[^/]*/)*';
          i += 2;
        }
      } else {
        while (p[i + 1] === '*') i++;
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = findClassClose(p, i);
      if (close === -1 || close === i + 1) {
        out += '\\[';
      } else {
        out += classToRegex(p.slice(i + 1, close));
        i = close;
      }
    } else if (c === '{') {
      const close = findBraceClose(p, i);
      if (close === -1) {
        out += '\\{';
      } else {
        const alts = splitAlternatives(p.slice(i + 1, close)).map(toRegexSource);
        out += `(?:${alts.join('|')})`;
        i = close;
      }
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

/** Compile one glob into a predicate over POSIX relative paths. */
export function compileGlob(pattern: string): GlobMatcher {
  // A leading "./" is how people often write paths relative to the folder; it means the same.
  const p = pattern.startsWith('./') ? pattern.slice(2) : pattern;
  const re = new RegExp(`^${toRegexSource(p)}$`, 'u');
  return (relPath) => re.test(relPath);
}

/** A predicate that is true when any of the patterns matches. */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const matchers = patterns.map(compileGlob);
  return (relPath) => matchers.some((m) => m(relPath));
}
