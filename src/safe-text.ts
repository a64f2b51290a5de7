/**
 * Text from an input (a file name, a sentence quoted in a message) must never drive the terminal:
 * an ESC or BEL in it could recolour the screen, move the cursor or set the window title (OSC 0),
 * a newline or carriage return could forge or hide a line. Every printer passes such text through
 * `terminalSafe` (or writes with `safeLines`), which shows control characters visibly instead.
 */

/**
 * C0 controls, DEL, C1 controls, and the Unicode bidirectional overrides/isolates (which reorder
 * what is shown, so "txt.exe" could read as "exe.txt").
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character shown as an escape (`\x1b`, `\n`, `\u202e`); one line, always. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * A message of several lines of our own, made safe line by line: its line breaks stay, every
 * other control character (from whatever input text it quotes) is shown as an escape.
 */
export function safeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}
