/**
 * Link reference definitions (`[foo]: /url "title"`) at the start of a paragraph. They are not
 * text: sent to the model they would come back as a sentence, and every `[text][foo]` link of the
 * file would break. markdown-it (a CommonMark parser) decides where they end, because their
 * grammar (multi-line titles, angle-bracket destinations, a title that fails on the next line) is
 * easy to get subtly wrong by hand.
 */
import MarkdownIt, { type StateCore } from 'markdown-it';

const md = new MarkdownIt('commonmark');

/** Cheap test first: a definition's line starts with "[" after at most three spaces. */
const MAY_START_RE = /^ {0,3}\[/;

/**
 * How many of `lines` (a paragraph's lines, container prefixes removed) are link reference
 * definitions at its start; 0 when the paragraph does not start with one.
 */
export function definitionLineCount(lines: readonly string[]): number {
  if (lines.length === 0 || !MAY_START_RE.test(lines[0]!)) return 0;
  const env: StateCore['env'] = {};
  const tokens = md.parse(lines.join('\n'), env);
  if (env.references === undefined) return 0;
  // Whatever block follows the definitions starts at its map's first line.
  const next = tokens.find((t) => t.map !== null);
  return next === undefined ? lines.length : next.map![0];
}

/** Normalised labels (CommonMark case folding and whitespace) defined in a definitions block. */
export function definedLabels(text: string): string[] {
  const env: StateCore['env'] = {};
  md.parse(text, env);
  return Object.keys(env.references ?? {});
}

/** A link label as CommonMark matches it against definitions. */
export function normaliseLabel(label: string): string {
  return md.utils.normalizeReference(label);
}
