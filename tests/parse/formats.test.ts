import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../src/read/read-text.js';
import { formatOf, parseDocument } from '../../src/parse/formats.js';
import { reconstruct } from '../../src/parse/reconstruct.js';

describe('parseDocument', () => {
  it('chooses the parser by extension', () => {
    expect(formatOf('a/b.md')).toBe('markdown');
    expect(formatOf('A/B.MARKDOWN')).toBe('markdown');
    expect(formatOf('b.txt')).toBe('text');
    expect(formatOf('catatan')).toBe('text');
    expect(formatOf('x.md.txt')).toBe('text');
    const text = '# Judul\n\n- butir\n';
    expect(parseDocument(text, 'x.md').blocks.map((b) => b.kind)).toEqual(['heading', 'list-item']);
    // As plain text the "# Judul" line is just the title.
    expect(parseDocument(text, 'x.txt').blocks.map((b) => b.kind)).toEqual(['title', 'list-item']);
  });

  it('decoded CRLF + BOM input round-trips through both parsers', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Judul\r\n\r\n> kutipan\r\n> dua\r\n\r\nAkhir.\r\n')]);
    const text = decodeFile(bytes, 'a.md');
    expect(text).toBe('Judul\n\n> kutipan\n> dua\n\nAkhir.\n');
    expect(reconstruct(parseDocument(text, 'a.md'))).toBe(text);
    expect(reconstruct(parseDocument(text, 'a.txt'))).toBe('Judul\n\n> kutipan > dua\n\nAkhir.\n');
  });
});
