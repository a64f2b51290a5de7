/**
 * Bytes → text for HTML pages, by the page's own charset: a byte-order mark first, then a
 * `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` in the first
 * 1024 bytes (where browsers look for it), else UTF-8. Older Indonesian sites still serve
 * windows-1252/ISO-8859-1 pages; Node's TextDecoder knows every WHATWG label (windows-1252 itself
 * is decoded here, see CP1252_HIGH).
 *
 * Newlines are NOT normalised and a BOM stays in the text as U+FEFF: the English page
 * (x.en.html) must keep every byte outside the translated text, so the text has to encode back
 * to exactly the input (see `encodeHtml`).
 */
import { InputFileError, OutputError } from '../../errors.js';
import { decodeFile } from '../../read/read-text.js';

/** How far browsers prescan for a meta charset (HTML standard, "prescan a byte stream"). */
const PRESCAN_BYTES = 1024;

const META_RE = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i;

export interface DecodedHtml {
  readonly text: string;
  /** WHATWG encoding name the page was read with, e.g. "utf-8", "windows-1252". */
  readonly charset: string;
}

/** The charset a page declares in its first 1024 bytes (or characters), or undefined. */
export function declaredCharset(head: string): string | undefined {
  // Comments may hold an old, commented-out declaration.
  const m = META_RE.exec(head.slice(0, PRESCAN_BYTES).replace(/<!--[\s\S]*?-->/g, ''));
  return m?.[1]?.toLowerCase();
}

/** The WHATWG name for a label ("latin1" → "windows-1252"), or undefined when unknown. */
function canonicalName(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

export function decodeHtml(bytes: Uint8Array, path: string): DecodedHtml {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const charset = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    decodeFile(bytes, path); // the usual checks and messages for malformed UTF-16
    return { text: new TextDecoder(charset, { ignoreBOM: true }).decode(bytes), charset };
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const label = bom ? undefined : declaredCharset(latin1(bytes.subarray(0, PRESCAN_BYTES)));
  let charset = label === undefined ? 'utf-8' : canonicalName(label);
  if (charset === undefined) {
    throw new InputFileError(
      `${path}: the page declares charset "${label}", which is not a known encoding; ` +
        'fix its <meta charset> or save the page as UTF-8',
      path,
    );
  }
  // A page cannot really be UTF-16 without a BOM; browsers read such a declaration as UTF-8.
  if (charset.startsWith('utf-16')) charset = 'utf-8';
  if (charset === 'utf-8') {
    // Empty, binary and invalid UTF-8 files fail here with the same messages as text files.
    decodeFile(bytes, path);
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), charset };
  }
  const text = decodeSingleOrLegacy(bytes, charset);
  if (text.trim() === '') throw new InputFileError(`${path}: file is empty (only whitespace)`, path);
  return { text, charset };
}

/**
 * windows-1252 bytes 0x80–0x9F (WHATWG index). Node 20's TextDecoder decodes "windows-1252" (and
 * so "iso-8859-1", "latin1", which name it) through a Latin-1 fast path that turns these bytes
 * into C1 control characters, losing “quotes”, – dashes and € from every such page.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeSingleOrLegacy(bytes: Uint8Array, charset: string): string {
  if (charset !== 'windows-1252') return new TextDecoder(charset).decode(bytes);
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const codes = Array.from(bytes.subarray(i, i + CHUNK), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b));
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

const encoders = new Map<string, Map<number, number> | null>();

/**
 * The byte table of a single-byte encoding (code point → byte), built by decoding all 256 bytes;
 * null when the encoding is not single-byte or two bytes decode alike (no exact way back).
 */
function singleByteTable(charset: string): Map<number, number> | null {
  if (encoders.has(charset)) return encoders.get(charset)!;
  let table: Map<number, number> | null = new Map();
  try {
    const all = decodeSingleOrLegacy(Uint8Array.from({ length: 256 }, (_, i) => i), charset);
    if (all.length !== 256) table = null;
    else for (let i = 0; i < 256 && table !== null; i++) {
      const cp = all.charCodeAt(i);
      if (table.has(cp) || cp === 0xfffd) table = null;
      else table.set(cp, i);
    }
  } catch {
    table = null;
  }
  encoders.set(charset, table);
  return table;
}

/**
 * `text` in `charset`, as the page was: for text decoded from a page this gives back its bytes.
 * Characters the charset cannot hold (only ever in our English) become numeric character
 * references, which every browser reads back as the character.
 */
export function encodeHtml(text: string, charset: string, path: string): Uint8Array {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  if (charset === 'utf-16le') return Buffer.from(text, 'utf16le');
  if (charset === 'utf-16be') return Buffer.from(text, 'utf16le').swap16();
  const table = singleByteTable(charset);
  if (table === null) {
    throw new OutputError(
      `${path}: cannot write the English page in the page's charset ${charset} (only UTF-8, UTF-16 and ` +
        'single-byte charsets such as windows-1252 are supported); save the page as UTF-8 and run again',
      path,
    );
  }
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const b = table.get(cp);
    if (b !== undefined) out.push(b);
    else for (const c of `&#${cp};`) out.push(c.charCodeAt(0));
  }
  return Uint8Array.from(out);
}
