import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFile, firstInvalidUtf8, fsReadError, readAndDecode } from '../../src/read/read-text.js';
import { InputFileError } from '../../src/errors.js';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

function decodeError(data: Uint8Array, path = 'in/artikel.txt'): InputFileError {
  try {
    decodeFile(data, path);
  } catch (err) {
    expect(err).toBeInstanceOf(InputFileError);
    const e = err as InputFileError;
    expect(e.path).toBe(path);
    expect(e.message).toContain(path);
    return e;
  }
  throw new Error('decodeFile did not throw');
}

describe('decodeFile', () => {
  it('decodes UTF-8 as is', () => {
    expect(decodeFile(bytes('Judul “kutipan” — café\nIsi.\n'), 'a.txt')).toBe('Judul “kutipan” — café\nIsi.\n');
  });

  it('drops a UTF-8 byte-order mark', () => {
    expect(decodeFile(bytes([0xef, 0xbb, 0xbf], 'Judul\n'), 'a.txt')).toBe('Judul\n');
  });

  it('normalises CRLF and lone CR to LF', () => {
    expect(decodeFile(bytes('Judul\r\n\r\nSatu\rDua\r\n'), 'a.txt')).toBe('Judul\n\nSatu\nDua\n');
  });

  it('decodes UTF-16 LE and BE with a byte-order mark', () => {
    const text = 'Judul “é” 😀\r\nIsi.\n';
    expect(decodeFile(bytes([0xff, 0xfe], [...Buffer.from(text, 'utf16le')]), 'le.txt')).toBe('Judul “é” 😀\nIsi.\n');
    expect(decodeFile(bytes([0xfe, 0xff], [...utf16be(text)]), 'be.txt')).toBe('Judul “é” 😀\nIsi.\n');
  });

  it('reports invalid UTF-8 with byte offset and line', () => {
    // "Baris satu\n" is 11 bytes, "Baris dua " 10 more: the 0xff is byte 21, on line 2.
    const e = decodeError(bytes('Baris satu\nBaris dua ', [0xff], ' akhir\n'));
    expect(e.message).toBe('in/artikel.txt: invalid UTF-8 at byte 21 (line 2); convert the file to UTF-8');
  });

  it('counts the BOM and CRLF line breaks in the reported position', () => {
    // BOM (3) + "a\r\n" (3) + "b\r\n" (3) + "caf" (3) → the Latin-1 é is byte 12, line 3.
    const e = decodeError(bytes([0xef, 0xbb, 0xbf], 'a\r\nb\r\ncaf', [0xe9], '\r\n'));
    expect(e.message).toContain('invalid UTF-8 at byte 12 (line 3)');
  });

  it('finds malformed sequences: truncated, overlong, surrogate, out of range', () => {
    expect(firstInvalidUtf8(bytes('abc', [0xe2, 0x80]))).toBe(3);
    expect(firstInvalidUtf8(bytes('x', [0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidUtf8(bytes('xy', [0xed, 0xa0, 0x80]))).toBe(2);
    expect(firstInvalidUtf8(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(bytes('ok ', [0xe2, 0x82, 0xac], ' ', [0xf0, 0x9f, 0x98, 0x80]))).toBe(-1);
    expect(firstInvalidUtf8(bytes('é', [0x80]))).toBe(2);
  });

  it('refuses binary content: NUL bytes', () => {
    const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d], 'IHDR');
    expect(decodeError(png).message).toMatch(/looks like a binary file/);
  });

  it('refuses binary content: many control characters without NUL', () => {
    const data = bytes(Array.from({ length: 200 }, (_, k) => (k % 3 === 0 ? 0x01 + (k % 7) : 0x41)));
    expect(decodeError(data).message).toMatch(/looks like a binary file/);
  });

  it('accepts a few control characters in real text', () => {
    const text = 'Judul\n\n' + 'Kalimat biasa. '.repeat(20) + '\x0c\x1b[0m\n';
    expect(decodeFile(bytes(text), 'a.txt')).toBe(text);
  });

  it('suggests UTF-8 for UTF-16 text without a byte-order mark', () => {
    const e = decodeError(Buffer.from('Judul artikel\nIsi artikel.\n', 'utf16le'));
    expect(e.message).toMatch(/looks like a binary file.*UTF-16 text without a byte-order mark/);
  });

  it('refuses invalid UTF-16 (lone surrogate, odd length)', () => {
    const lone = bytes([0xff, 0xfe], [0x41, 0x00, 0x00, 0xd8, 0x41, 0x00]);
    expect(decodeError(lone).message).toMatch(/invalid UTF-16 LE at byte 4/);
    const odd = bytes([0xfe, 0xff], [0x00, 0x41, 0x00]);
    expect(decodeError(odd).message).toMatch(/invalid UTF-16 BE at byte 4/);
  });

  it('refuses NUL characters in UTF-16 text', () => {
    const data = bytes([0xff, 0xfe], [...Buffer.from('ab\0cd', 'utf16le')]);
    expect(decodeError(data).message).toMatch(/looks like a binary file/);
  });

  it('refuses empty and whitespace-only files', () => {
    expect(decodeError(new Uint8Array(0)).message).toBe('in/artikel.txt: file is empty');
    expect(decodeError(bytes(' \r\n\t \n\u00a0\n')).message).toMatch(/file is empty/);
    expect(decodeError(bytes([0xef, 0xbb, 0xbf])).message).toMatch(/file is empty/);
    expect(decodeError(bytes([0xff, 0xfe], [0x20, 0x00, 0x0a, 0x00])).message).toMatch(/file is empty/);
  });
});

describe('readAndDecode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dwibahasa-decode-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and decodes a file', async () => {
    const file = join(dir, 'ok.txt');
    writeFileSync(file, 'Judul\r\nIsi.\r\n');
    await expect(readAndDecode(file)).resolves.toBe('Judul\nIsi.\n');
  });

  it('maps a missing file and a folder to InputFileError', async () => {
    const missing = join(dir, 'nope.txt');
    await expect(readAndDecode(missing)).rejects.toThrow(new RegExp(`${missing}: file not found`));
    await expect(readAndDecode(missing)).rejects.toBeInstanceOf(InputFileError);
    await expect(readAndDecode(dir)).rejects.toThrow(/is a folder, not a file/);
  });

  // root reads any file, so the real EACCES path can only be exercised as another user.
  it.skipIf(process.getuid?.() === 0)('maps an unreadable file to InputFileError', async () => {
    const file = join(dir, 'locked.txt');
    writeFileSync(file, 'Judul\n');
    chmodSync(file, 0o000);
    await expect(readAndDecode(file)).rejects.toThrow(/permission denied/);
  });

  it('names the reason for permission errors', () => {
    const err = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const e = fsReadError('a/b.txt', err);
    expect(e).toBeInstanceOf(InputFileError);
    expect(e.message).toBe('a/b.txt: permission denied; make the file readable for this user');
    expect(e.cause).toBe(err);
  });
});
