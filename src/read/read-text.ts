/**
 * Bytes → text for one input file: UTF-8 (BOM optional) or UTF-16 with a BOM, newlines normalised
 * to LF. Anything we cannot read faithfully is refused with an InputFileError that tells the user
 * where the problem is and what to do, because a silently mangled article is worse than a skipped one.
 */
import { readFile } from 'node:fs/promises';
import { errorCode, InputFileError } from '../errors.js';

/** Control characters above this share of the sample mark a file as binary. */
const CONTROL_SHARE_LIMIT = 0.1;
/** Only the start of a file is sampled for control characters: binary formats show it at once. */
const CONTROL_SAMPLE_BYTES = 64 * 1024;

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Decode a file's bytes into text with LF newlines.
 * Throws InputFileError for invalid UTF-8/UTF-16, binary content, and empty or whitespace-only files.
 */
export function decodeFile(bytes: Uint8Array, path: string): string {
  if (bytes.length === 0) throw new InputFileError(`${path}: file is empty`, path);
  const { encoding, bomLength } = sniffEncoding(bytes);
  const body = bytes.subarray(bomLength);

  let text: string;
  if (encoding === 'utf-8') {
    rejectBinaryBytes(body, path, bomLength);
    text = decodeUtf8(body, path, bomLength);
  } else {
    text = decodeUtf16(body, encoding, path, bomLength);
    rejectBinaryText(text, path);
  }
  if (text.trim() === '') throw new InputFileError(`${path}: file is empty (only whitespace)`, path);
  return normaliseNewlines(text);
}

/** Read a file and decode it; file-system failures become InputFileError with a reason. */
export async function readAndDecode(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw fsReadError(path, err);
  }
  return decodeFile(bytes, path);
}

/** CRLF and lone CR (old Mac files) both become LF, so parsers only ever see '\n'. */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function sniffEncoding(bytes: Uint8Array): { encoding: Encoding; bomLength: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return { encoding: 'utf-8', bomLength: 0 };
}

function decodeUtf8(body: Uint8Array, path: string, base: number): string {
  try {
    // The native fatal decoder is fast; the JS scan below runs only to locate an error.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const at = firstInvalidUtf8(body);
    const offset = base + (at < 0 ? 0 : at);
    const line = lineOfByte(body, at < 0 ? 0 : at);
    throw new InputFileError(
      `${path}: invalid UTF-8 at byte ${offset} (line ${line}); convert the file to UTF-8`,
      path,
    );
  }
}

function decodeUtf16(body: Uint8Array, encoding: 'utf-16le' | 'utf-16be', path: string, base: number): string {
  const name = encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE';
  const bad = firstInvalidUtf16(body, encoding === 'utf-16le');
  if (bad >= 0) {
    throw new InputFileError(
      `${path}: invalid ${name} at byte ${base + bad} (the file starts with a ${name} byte-order mark); ` +
        'convert the file to UTF-8',
      path,
    );
  }
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
}

/** Byte offset of the first byte of the first malformed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    if (i + need >= n) return i; // sequence cut off by the end of the file
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Byte offset (within `bytes`) of the first unpaired surrogate or dangling odd byte, or -1. */
function firstInvalidUtf16(bytes: Uint8Array, littleEndian: boolean): number {
  const units = Math.floor(bytes.length / 2);
  const unit = (k: number): number =>
    littleEndian ? bytes[2 * k]! | (bytes[2 * k + 1]! << 8) : (bytes[2 * k]! << 8) | bytes[2 * k + 1]!;
  for (let k = 0; k < units; k++) {
    const u = unit(k);
    if (u >= 0xd800 && u <= 0xdbff) {
      if (k + 1 >= units) return 2 * k;
      const next = unit(k + 1);
      if (next < 0xdc00 || next > 0xdfff) return 2 * k;
      k++;
    } else if (u >= 0xdc00 && u <= 0xdfff) return 2 * k;
  }
  return bytes.length % 2 === 1 ? bytes.length - 1 : -1;
}

/** 1-based line of a byte offset, counting LF, CRLF and lone CR as one line break each. */
function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a) line++;
    else if (b === 0x0d && bytes[i + 1] !== 0x0a) line++;
  }
  return line;
}

function isControlCode(c: number): boolean {
  // Tab, LF, FF and CR occur in real text files; everything else in C0 (and DEL) does not.
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f;
}

function rejectBinaryBytes(body: Uint8Array, path: string, base: number): void {
  const nul = body.indexOf(0);
  if (nul >= 0) throw binaryError(path, `a NUL byte at byte ${base + nul}`, looksLikeBomlessUtf16(body));
  const sample = Math.min(body.length, CONTROL_SAMPLE_BYTES);
  let controls = 0;
  for (let i = 0; i < sample; i++) if (isControlCode(body[i]!)) controls++;
  if (controls > sample * CONTROL_SHARE_LIMIT) {
    throw binaryError(path, `${controls} control bytes in the first ${sample}`, false);
  }
}

function rejectBinaryText(text: string, path: string): void {
  const nul = text.indexOf('\0');
  if (nul >= 0) throw binaryError(path, `a NUL character at character ${nul}`, false);
  const sample = Math.min(text.length, CONTROL_SAMPLE_BYTES);
  let controls = 0;
  for (let i = 0; i < sample; i++) if (isControlCode(text.charCodeAt(i))) controls++;
  if (controls > sample * CONTROL_SHARE_LIMIT) {
    throw binaryError(path, `${controls} control characters in the first ${sample}`, false);
  }
}

/** UTF-16 text without a BOM shows up as a NUL in every other byte; say so, since it is fixable. */
function looksLikeBomlessUtf16(body: Uint8Array): boolean {
  const pairs = Math.min(Math.floor(body.length / 2), 512);
  if (pairs < 2) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let k = 0; k < pairs; k++) {
    if (body[2 * k] === 0) evenNul++;
    if (body[2 * k + 1] === 0) oddNul++;
  }
  return Math.max(evenNul, oddNul) >= pairs * 0.8 && Math.min(evenNul, oddNul) <= pairs * 0.05;
}

function binaryError(path: string, evidence: string, maybeUtf16: boolean): InputFileError {
  const hint = maybeUtf16
    ? '; if it is UTF-16 text without a byte-order mark, save it as UTF-8'
    : '; only plain-text and Markdown files can be translated';
  return new InputFileError(`${path}: looks like a binary file (${evidence})${hint}`, path);
}

/** The InputFileError for a failed read of `path`, with a reason a user can act on. */
export function fsReadError(path: string, err: unknown): InputFileError {
  return new InputFileError(`${path}: ${describeFsError(err)}`, path, { cause: err });
}

function describeFsError(err: unknown): string {
  const code = errorCode(err) ?? '';
  switch (code) {
    case 'ENOENT':
      return 'file not found (was it moved or deleted?)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; make the file readable for this user';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ELOOP':
      return 'symbolic link loop; fix or remove the link';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files; retry with fewer parallel jobs';
    default:
      return `cannot read the file${code ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}`;
  }
}
