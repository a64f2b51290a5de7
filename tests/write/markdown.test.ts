import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/write/markdown.js';
import { MD_DOC, TEXT_DOC } from './fixtures.js';

/** GFM splits a row at every pipe not preceded by a backslash. */
function cells(row: string): string[] {
  const parts = row.split(/(?<!\\)\|/);
  expect(parts[0]).toBe('');
  expect(parts[parts.length - 1]).toBe('');
  return parts.slice(1, -1).map((c) => c.trim());
}

function tableRows(md: string): string[][] {
  const lines = md.split('\n').filter((l) => l.startsWith('|'));
  expect(lines[0]).toBe('| Indonesia | English |');
  expect(lines[1]).toBe('| --- | --- |');
  return lines.slice(2).map(cells);
}

describe('renderMarkdown, plain-text input', () => {
  const md = renderMarkdown(TEXT_DOC);
  const rows = tableRows(md);

  it('puts the title above the table and one two-cell row per other block', () => {
    expect(md.startsWith('# Banjir & "Hujan" \\<Jakarta\\>\n\nEnglish: Floods & "Rain" \\<Jakarta\\>\n\n')).toBe(true);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toHaveLength(2);
    expect(md.endsWith('|\n')).toBe(true);
  });

  it('escapes pipes, markup and line breaks inside cells', () => {
    const [id, en] = rows[0]!;
    expect(id).toBe(
      "Harga naik 5% \\| turun 3%. Kata 'dia': \\<script\\>window.\\_\\_pwned=1\\</script\\>!<br>Baris kedua␇ di sini.",
    );
    expect(en).toContain('Prices rose 5% \\| fell 3%.');
    expect(en).toContain('\\<script\\>window.\\_\\_pwned=2');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('\u0007');
  });

  it('escapes Markdown so plain text shows literally, keeping unicode', () => {
    const [id] = rows[2]!;
    expect(id).toBe('Kafé — naïve 日本語 😀 \\*tebal\\* \\_miring\\_ \\[tautan\\](x) \\`kode\\` \\\\ \\&amp;');
  });

  it('marks flagged sentences and failed ones', () => {
    expect(rows[0]![1]).toContain('here. ⚠ repetition');
    expect(rows[0]![1]).not.toMatch(/fell 3%\. ⚠/);
    expect(rows[2]![1]).toMatch(/⚠ too-long, lost-span$/);
    expect(rows[1]![1]).toBe('First sentence. \\[translation failed: model crashed \\<oops\\> \\| "bad"\\]');
  });
});

describe('renderMarkdown, Markdown input', () => {
  const md = renderMarkdown(MD_DOC);
  const rows = tableRows(md);

  it('has a row per block except the title, all with two cells', () => {
    expect(md.startsWith('# Judul \\| utama\n\nEnglish: Main \\| title\n')).toBe(true);
    expect(rows).toHaveLength(MD_DOC.blocks.length - 1);
    for (const r of rows) expect(r).toHaveLength(2);
  });

  it('keeps inline Markdown, shows bullets, quotes and bold headings', () => {
    expect(rows[1]).toEqual(['• Satu *dua*', '• One *two*']);
    expect(rows[2]).toEqual(['&nbsp;&nbsp;1. Tiga', '&nbsp;&nbsp;1. Three']);
    expect(rows[3]).toEqual(['› Kutipan.', '› Quote.']);
    expect(rows[6]).toEqual(['**Sub**', '**Sub**']);
    expect(rows[7]).toEqual(['Akhir baris<br>baru.', 'End line<br>new.']);
  });

  it('shows code and front matter once, as escaped inline code that cannot break the table', () => {
    expect(rows[0]).toEqual(['<code>---<br>title: "a &#124; b"<br>---</code>', '']);
    expect(rows[4]![0]).toBe(
      '<code>&#96;&#96;&#96;js<br>const a = b &#124; c; // &lt;x&gt; &#96;y&#96; &#42;z&#42;<br>' +
        '&nbsp;&nbsp;indented();<br>&#96;&#96;&#96;</code>',
    );
    expect(rows[4]![1]).toBe('');
    expect(rows[5]).toEqual(['⸻', '⸻']);
  });
});
