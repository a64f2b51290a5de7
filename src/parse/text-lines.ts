/**
 * Line classifiers for plain-text articles. Plain text has no syntax, so these are heuristics,
 * tuned on samples/articles: they err towards "paragraph" (translated, nothing lost) and only call a
 * line code when it carries clear signs of a shell session or a config file.
 */

/** Bullets and enumerators that start a list item: "- ", "* ", "• ", "1. ", "1) ", "a. ", "a) ". */
const LIST_ITEM_RE = /^[^\S\n]*(?:[-*•◦▪‣]|\d{1,3}[.)]|[a-z][.)])[^\S\n]+(?=\S)/u;
/** "$ cmd" or "# cmd" with a lower-case command: a shell prompt, not a sentence. */
const PROMPT_RE = /^[ \t]*[$#][ \t]+[a-z0-9_./~-]/;
const INI_SECTION_RE = /^[ \t]*\[[\w.:@/-]+\][ \t]*$/;
const KEY_VALUE_RE = /^[ \t]*[\w.-]+[ \t]*=/;
/** A token of a command line: lower-case ASCII, paths, URLs, options, redirections. */
const COMMAND_TOKEN_RE = /^[a-z0-9_./:~=@%+,*"'<>|&$-]+$/;
const WORD_RE = /^[("“'‘]?\p{L}[\p{L}'’-]*[.,;:!?)"”'’]*$/u;
/** Characters a sentence or a completed line usually ends with. */
const SENTENCE_END_RE = /[.!?:;"”’)\]»]$/u;

/** Length of a list item's marker (indentation, bullet and the spaces after it), or 0. */
export function listMarkerLength(line: string): number {
  const m = LIST_ITEM_RE.exec(line);
  return m === null ? 0 : m[0].length;
}

/** A short line ending in ":" such as "Baca juga:" or "Lihat juga:", which introduces what follows. */
export function isLabel(line: string): boolean {
  const t = line.trim();
  if (!t.endsWith(':') || t.length > 40 || !/\p{L}/u.test(t)) return false;
  const words = t.slice(0, -1).trim().split(/\s+/u);
  return words.length <= 5 && listMarkerLength(line) === 0;
}

export function isIndented(line: string): boolean {
  return /^( {4,}|\t)/.test(line);
}

export function isPrompt(line: string): boolean {
  return PROMPT_RE.test(line);
}

/** Clear signs of code or configuration: a prompt, an INI section, a key = value line. */
function isStrongCode(line: string): boolean {
  return PROMPT_RE.test(line) || INI_SECTION_RE.test(line) || KEY_VALUE_RE.test(line);
}

/** "deb http://host/ updates/", "gzip -9 file": all lower-case tokens, one of them a path or option. */
function isCommandLike(line: string): boolean {
  const tokens = line.trim().split(/\s+/u);
  if (tokens.length > 12 || !tokens.every((t) => COMMAND_TOKEN_RE.test(t))) return false;
  return tokens.some((t) => /[/=]/.test(t) || t.startsWith('-'));
}

/** A line that reads as code or config, and not as a list item or a label. */
export function isCodeLine(line: string): boolean {
  if (listMarkerLength(line) > 0 || isLabel(line)) return false;
  return isStrongCode(line) || isCommandLike(line);
}

/** Four or more words made of letters: a sentence, even when indented. */
export function isProse(line: string): boolean {
  if (isStrongCode(line)) return false;
  return line.trim().split(/\s+/u).filter((w) => WORD_RE.test(w)).length >= 4;
}

export function endsSentence(line: string): boolean {
  return SENTENCE_END_RE.test(line.trimEnd());
}

/**
 * Whether blank-line-free body lines are one hard-wrapped text rather than one paragraph per line:
 * short lines that often break mid-sentence (no closing punctuation, next line starts lower-case).
 */
export function looksHardWrapped(lines: readonly string[]): boolean {
  const prose = lines.filter((l) => listMarkerLength(l) === 0 && !isLabel(l)).map((l) => l.trim());
  if (prose.length < 3 || prose.some((t) => t.length > 100)) return false;
  let midSentence = 0;
  for (let i = 0; i + 1 < prose.length; i++) {
    if (!endsSentence(prose[i]!) && /^\p{Ll}/u.test(prose[i + 1]!)) midSentence++;
  }
  return midSentence * 5 >= (prose.length - 1) * 2;
}
