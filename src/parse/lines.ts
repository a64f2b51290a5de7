/** Line splitting with offsets, shared by the plain-text and Markdown parsers. */

export interface Line {
  /** Offset of the line's first character in the document. */
  readonly start: number;
  /** Offset just past the line's last character, before its '\n'. */
  readonly end: number;
  /** The line without its '\n'. */
  readonly text: string;
}

/** Split LF-normalised text into lines; a final '\n' does not start an extra empty line. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    lines.push({ start, end, text: text.slice(start, end) });
    start = end + 1;
  }
  return lines;
}

export function isBlank(s: string): boolean {
  return s.trim() === '';
}
