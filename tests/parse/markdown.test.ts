import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/parse/markdown.js';
import { Rng } from '../../testmodel/seeded-random.js';
import type { Block } from '../../src/types.js';
import { expectExactRoundTrip, kinds, sources } from './invariant.js';

const MARKDOWN = join(import.meta.dirname, '../../samples/markdown');

function parse(text: string): readonly Block[] {
  const doc = parseMarkdown(text);
  expect(doc.format).toBe('markdown');
  expectExactRoundTrip(doc, text);
  return doc.blocks;
}

const rows = (blocks: readonly Block[]): Array<[string, string, string, string]> =>
  blocks.map((b) => [b.kind, b.marker, b.source, b.trailer]);

describe('parseMarkdown on the samples', () => {
  it('08-bantuan-gnome-port-jaringan.md: headings, paragraph, a 3×7 table, a list', () => {
    const blocks = parse(readFileSync(join(MARKDOWN, '08-bantuan-gnome-port-jaringan.md'), 'utf8'));
    expect(kinds({ format: 'markdown', blocks })).toEqual([
      'heading',
      'paragraph',
      ...Array(21).fill('table-cell'),
      'heading',
      'list-item',
    ]);
    expect(blocks[0]).toMatchObject({ marker: '# ', source: 'Port jaringan yang biasa dipakai', level: 1 });
    expect(rows(blocks.slice(2, 6))).toEqual([
      ['table-cell', '| ', 'Porta', ' '],
      ['table-cell', '| ', 'Nama', ' '],
      ['table-cell', '| ', 'Deskripsi', ' |\n|---|---|---|\n'],
      ['table-cell', '| ', '5353/udp', ' '],
    ]);
    expect(blocks.every((b) => !b.source.includes('---'))).toBe(true);
    expect(blocks[23]).toMatchObject({ kind: 'heading', level: 2, source: 'Lihat juga' });
    expect(blocks[24]).toMatchObject({ marker: '- ', source: '[Aktifkan atau blok akses firewall](net-firewall-on-off.md)' });
  });

  it('05-buku-panduan-kuota.md: heading, paragraphs with inline code, pandoc-style "-   " items', () => {
    const blocks = parse(readFileSync(join(MARKDOWN, '05-buku-panduan-kuota.md'), 'utf8'));
    expect(blocks).toHaveLength(16);
    expect(blocks[0]).toMatchObject({ kind: 'heading', level: 2, marker: '## ', source: '9.9. Kuota', trailer: '\n\n' });
    const items = blocks.filter((b) => b.kind === 'list-item');
    expect(items.map((b) => b.marker)).toEqual(['-   ', '-   ']);
    expect(items[0]!.source).toMatch(/^two limits \(called “soft” and “hard”\)/);
    expect(blocks[4]).toMatchObject({ kind: 'paragraph', source: '***LEBIH LANJUT* Menentukan kuota dengan suatu skrip**' });
    // This sample has no code blocks: inline `code` stays inside paragraphs.
    expect(blocks.some((b) => b.kind === 'code')).toBe(false);
    expect(blocks[3]!.source).toContain('`edquota -g kelompok`');
  });
});

describe('parseMarkdown blocks', () => {
  it('front matter is kept and not translated', () => {
    const blocks = parse('---\ntitle: Judul\ntags: [a, b]\n---\n\n# Judul\n');
    expect(rows(blocks)).toEqual([
      ['front-matter', '---\n', 'title: Judul\ntags: [a, b]', '\n---\n\n'],
      ['heading', '# ', 'Judul', '\n'],
    ]);
    expect(blocks[0]!.translate).toBe(false);
  });

  it('a "---" line that is never closed is a rule, not front matter', () => {
    expect(kinds({ format: 'markdown', blocks: parse('---\nTeks biasa.\n') })).toEqual(['rule', 'paragraph']);
  });

  it('ATX headings: levels, closing hashes, indentation; "#tagar" is not a heading', () => {
    const blocks = parse('# Satu\n  ## Dua ##  \n###### Enam\n#tagar bukan judul\n#\n');
    expect(blocks.map((b) => [b.kind, b.level, b.marker, b.source, b.trailer])).toEqual([
      ['heading', 1, '# ', 'Satu', '\n'],
      ['heading', 2, '  ## ', 'Dua', ' ##  \n'],
      ['heading', 6, '###### ', 'Enam', '\n'],
      ['paragraph', undefined, '', '#tagar bukan judul', '\n'],
      ['heading', 1, '#', '', '\n'],
    ]);
    expect(blocks[4]!.translate).toBe(false);
  });

  it('setext headings keep their underline in the trailer', () => {
    const blocks = parse('Judul Besar\n===\n\nSub judul\nbaris dua\n---\nTeks.\n');
    expect(blocks.map((b) => [b.kind, b.level, b.source, b.trailer])).toEqual([
      ['heading', 1, 'Judul Besar', '\n===\n\n'],
      ['heading', 2, 'Sub judul\nbaris dua', '\n---\n'],
      ['paragraph', undefined, 'Teks.', '\n'],
    ]);
  });

  it('paragraphs keep their line breaks (and hard-break spaces) inside the source', () => {
    const blocks = parse('Baris satu  \nbaris dua\n    baris tiga terindentasi\n\nParagraf dua.');
    expect(sources({ format: 'markdown', blocks })).toEqual([
      'Baris satu  \nbaris dua\n    baris tiga terindentasi',
      'Paragraf dua.',
    ]);
  });

  it('fenced code with ``` and ~~~ is not translated and hides Markdown-looking lines', () => {
    const text = 'Teks:\n\n```sh\n# bukan judul\n- bukan daftar\n\n$ ls\n```\n\n~~~~\nkode\n~~~\n~~~~\nSetelah.\n';
    const blocks = parse(text);
    expect(rows(blocks)).toEqual([
      ['paragraph', '', 'Teks:', '\n\n'],
      ['code', '```sh\n', '# bukan judul\n- bukan daftar\n\n$ ls', '\n```\n\n'],
      ['code', '~~~~\n', 'kode\n~~~', '\n~~~~\n'],
      ['paragraph', '', 'Setelah.', '\n'],
    ]);
    expect(blocks.filter((b) => b.kind === 'code').every((b) => !b.translate)).toBe(true);
  });

  it('an empty fence and an unclosed fence', () => {
    expect(rows(parse('```\n```\n'))).toEqual([['code', '```\n', '', '```\n']]);
    expect(rows(parse('Teks.\n\n```js\nlet a = 1;\n\nlet b = 2;\n'))).toEqual([
      ['paragraph', '', 'Teks.', '\n\n'],
      ['code', '```js\n', 'let a = 1;\n\nlet b = 2;', '\n'],
    ]);
    expect(rows(parse('```'))).toEqual([['code', '```', '', '']]);
  });

  it('indented code, but an indented line cannot interrupt a paragraph', () => {
    const blocks = parse('Paragraf\n    lanjutan\n\n    kode satu\n\n    kode dua\n\nAkhir.\n');
    expect(rows(blocks)).toEqual([
      ['paragraph', '', 'Paragraf\n    lanjutan', '\n\n'],
      ['code', '', '    kode satu\n\n    kode dua', '\n\n'],
      ['paragraph', '', 'Akhir.', '\n'],
    ]);
  });

  it('HTML blocks are kept verbatim; inline HTML stays in a paragraph', () => {
    const text = '<div class="x">\n<p>Halo</p>\n</div>\n\n<!-- komentar\npanjang -->\nTeks <span>dengan</span> tag.\n';
    expect(rows(parse(text))).toEqual([
      ['html', '', '<div class="x">\n<p>Halo</p>\n</div>', '\n\n'],
      ['html', '', '<!-- komentar\npanjang -->', '\n'],
      ['paragraph', '', 'Teks <span>dengan</span> tag.', '\n'],
    ]);
  });

  it('thematic breaks', () => {
    const blocks = parse('Satu\n\n***\n- - -\n___\n\nDua\n');
    expect(kinds({ format: 'markdown', blocks })).toEqual(['paragraph', 'rule', 'rule', 'rule', 'paragraph']);
    expect(blocks.filter((b) => b.kind === 'rule').every((b) => !b.translate)).toBe(true);
  });
});

describe('parseMarkdown lists and quotes', () => {
  it('nested bullet and ordered lists: the marker carries indentation and bullet', () => {
    const text = '- satu\n  lanjutan satu\n  - anak\n    1. cucu\n- dua\n\n1. pertama\n2) kedua\n10. kesepuluh\n';
    expect(rows(parse(text))).toEqual([
      ['list-item', '- ', 'satu\n  lanjutan satu', '\n'],
      ['list-item', '  - ', 'anak', '\n'],
      ['list-item', '    1. ', 'cucu', '\n'],
      ['list-item', '- ', 'dua', '\n\n'],
      ['list-item', '1. ', 'pertama', '\n'],
      ['list-item', '2) ', 'kedua', '\n'],
      ['list-item', '10. ', 'kesepuluh', '\n'],
    ]);
  });

  it('lazy continuation lines stay in the item', () => {
    expect(rows(parse('- butir yang\ndibungkus tanpa indentasi\n- butir dua\n'))).toEqual([
      ['list-item', '- ', 'butir yang\ndibungkus tanpa indentasi', '\n'],
      ['list-item', '- ', 'butir dua', '\n'],
    ]);
  });

  it('a loose item: a second paragraph and code inside the item', () => {
    const text = '* butir\n\n  paragraf kedua butir\n\n  ```\n  kode\n  ```\n\n      kode terindentasi\n\nDi luar.\n';
    expect(rows(parse(text))).toEqual([
      ['list-item', '* ', 'butir', '\n\n'],
      ['paragraph', '  ', 'paragraf kedua butir', '\n\n'],
      ['code', '  ```\n', '  kode', '\n  ```\n\n'],
      ['code', '', '      kode terindentasi', '\n\n'],
      ['paragraph', '', 'Di luar.', '\n'],
    ]);
  });

  it('tabs after bullets and before nested items', () => {
    expect(rows(parse('-\tsatu\n\t-\tdua\n'))).toEqual([
      ['list-item', '-\t', 'satu', '\n'],
      ['list-item', '\t-\t', 'dua', '\n'],
    ]);
  });

  it('empty list items keep their bullet', () => {
    const blocks = parse('-\n- isi\n-   \n');
    expect(rows(blocks)).toEqual([
      ['list-item', '-', '', '\n'],
      ['list-item', '- ', 'isi', '\n'],
      ['list-item', '-', '', '   \n'],
    ]);
    expect(blocks.map((b) => b.translate)).toEqual([false, true, false]);
  });

  it('"*emphasis*" and "2021." inside a paragraph do not start lists', () => {
    expect(kinds({ format: 'markdown', blocks: parse('*penting* sekali\npada tahun\n2021. Lalu\n') })).toEqual(['paragraph']);
  });

  it('block quotes: continuation lines keep their "> " inside the source', () => {
    expect(rows(parse('> Kutipan baris satu\n> baris dua\n>\n> Paragraf dua.\n\nSesudah.\n'))).toEqual([
      ['quote', '> ', 'Kutipan baris satu\n> baris dua', '\n>\n'],
      ['quote', '> ', 'Paragraf dua.', '\n\n'],
      ['paragraph', '', 'Sesudah.', '\n'],
    ]);
  });

  it('nested quotes, lists and headings inside quotes, lazy lines', () => {
    const text = '> > dalam\n> luar\nmalas\n\n> ## Judul\n> - butir\n>   lanjut\n';
    expect(rows(parse(text))).toEqual([
      ['quote', '> > ', 'dalam\n> luar\nmalas', '\n\n'],
      ['heading', '> ## ', 'Judul', '\n'],
      ['list-item', '> - ', 'butir\n>   lanjut', '\n'],
    ]);
  });

  it('code fences inside quotes', () => {
    expect(rows(parse('> ```\n> kode\n> ```\n> Teks.\n'))).toEqual([
      ['code', '> ```\n', '> kode', '\n> ```\n'],
      ['quote', '> ', 'Teks.', '\n'],
    ]);
  });
});

describe('parseMarkdown tables', () => {
  it('escaped pipes stay in the cell, empty cells are not translated', () => {
    const blocks = parse('| Perintah | Arti |\n|:--|--:|\n| `a \\| b` | pipa \\| teks |\n|  | kosong |\n');
    expect(rows(blocks)).toEqual([
      ['table-cell', '| ', 'Perintah', ' '],
      ['table-cell', '| ', 'Arti', ' |\n|:--|--:|\n'],
      ['table-cell', '| ', '`a \\| b`', ' '],
      ['table-cell', '| ', 'pipa \\| teks', ' |\n'],
      ['table-cell', '|  ', '', ''],
      ['table-cell', '| ', 'kosong', ' |\n'],
    ]);
    expect(blocks[4]!.translate).toBe(false);
  });

  it('tables without outer pipes, ended by a blank line', () => {
    expect(rows(parse('a | b\n--|--\nc | d\n\nTeks.\n'))).toEqual([
      ['table-cell', '', 'a', ' '],
      ['table-cell', '| ', 'b', '\n--|--\n'],
      ['table-cell', '', 'c', ' '],
      ['table-cell', '| ', 'd', '\n\n'],
      ['paragraph', '', 'Teks.', '\n'],
    ]);
  });

  it('a header and delimiter with different cell counts is not a table', () => {
    expect(kinds({ format: 'markdown', blocks: parse('| a | b |\n|---|\n') })).toEqual(['paragraph']);
  });

  it('a table may interrupt a paragraph', () => {
    expect(kinds({ format: 'markdown', blocks: parse('Teks.\n| a | b |\n|---|---|\n') })).toEqual([
      'paragraph',
      'table-cell',
      'table-cell',
    ]);
  });
});

describe('parseMarkdown round trip', () => {
  it('keeps leading and trailing blank lines, missing final newline, whitespace-only input', () => {
    expect(rows(parse('\n\n# Judul\n\n\n'))).toEqual([['heading', '\n\n# ', 'Judul', '\n\n\n']]);
    expect(rows(parse('Teks tanpa baris baru'))).toEqual([['paragraph', '', 'Teks tanpa baris baru', '']]);
    expect(parse('')).toEqual([]);
    expect(parse('  \n\n').every((b) => !b.translate)).toBe(true);
  });

  it('holds for random mixes of tricky lines', () => {
    const pool = [
      '', '', '# Judul', 'Teks biasa.', '  teks terindentasi', '    kode', '\tkode tab', '- butir', '  - anak',
      '1. satu', '> kutipan', '> > dalam', '>', '```', '~~~', '| a | b |', '|---|---|', '---', '===', '***',
      '<div>', '<!-- x -->', 'a \\| b | c', '-', '* * *', 'Teks `kode | pipa` [tautan](x.md)', '   ', '+++',
    ];
    const rng = new Rng(42);
    const random = (n: number): number => rng.below(n);
    for (let doc = 0; doc < 400; doc++) {
      const lines = Array.from({ length: 1 + random(14) }, () => pool[random(pool.length)]!);
      const text = lines.join('\n') + (random(2) === 0 ? '\n' : '');
      expect(reconstructOk(text), JSON.stringify(text)).toBe(true);
    }
  });

  it('survives deep nesting', () => {
    const quotes = '> '.repeat(300) + 'dalam\n';
    const lists = Array.from({ length: 300 }, (_, k) => ' '.repeat(2 * k) + '- butir').join('\n') + '\n';
    for (const text of [quotes, lists]) expect(reconstructOk(text)).toBe(true);
  });

  it('parses 10,000 paragraphs', () => {
    const text = '# Judul\n\n' + Array.from({ length: 10_000 }, (_, k) => `Paragraf ${k}\nbaris dua.`).join('\n\n') + '\n';
    const blocks = parse(text);
    expect(blocks).toHaveLength(10_001);
    expect(blocks[10_000]!.source).toBe('Paragraf 9999\nbaris dua.');
  });
});

function reconstructOk(text: string): boolean {
  const doc = parseMarkdown(text);
  return doc.blocks.map((b) => b.marker + b.source + b.trailer).join('') === text;
}

describe('parseMarkdown link reference definitions', () => {
  it('copies definitions at a paragraph start verbatim; the rest of the paragraph is text', () => {
    const text = '[foo]: /url "judul"\n[bar]:\n  <https://x.id/a b>\nKalimat setelah definisi.\n\n> [q]: /kutip\n\nPara [foo] biasa.\n';
    const doc = parseMarkdown(text);
    expectExactRoundTrip(doc, text);
    expect(doc.blocks.map((b) => [b.kind, b.source, b.translate])).toEqual([
      ['definition', '[foo]: /url "judul"\n[bar]:\n  <https://x.id/a b>', false],
      ['paragraph', 'Kalimat setelah definisi.', true],
      ['definition', '[q]: /kutip', false],
      ['paragraph', 'Para [foo] biasa.', true],
    ]);
  });

  it('a definition-looking line that is not one stays text, and a setext underline after definitions is not a heading of them', () => {
    expect(kinds(parseMarkdown('[foo]: /url "judul" ok\n'))).toEqual(['paragraph']);
    expect(parseMarkdown('[foo]: /url\n===\n').blocks.map((b) => [b.kind, b.source])).toEqual([
      ['definition', '[foo]: /url'],
      ['paragraph', '==='],
    ]);
  });
});
