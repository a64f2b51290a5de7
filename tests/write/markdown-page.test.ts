/** The writers on a parsed Markdown article: inline markup, tables, quotes, the model's name. */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/write/html.js';
import { renderJson } from '../../src/write/json.js';
import { renderMarkdown } from '../../src/write/markdown.js';
import { renderText } from '../../src/write/text.js';
import { renderTmx } from '../../src/write/tmx.js';
import { pageDoc } from './markdown-page.js';

const doc = pageDoc();

describe('HTML page of a Markdown article', () => {
  const html = renderHtml(doc);
  const main = html.slice(html.indexOf('<main>'), html.indexOf('</main>'));

  it('renders emphasis, code and links in both columns', () => {
    expect(main).toContain('<strong>tebal</strong>');
    expect(main).toContain('<strong>bold</strong>');
    expect(main).toContain('<code>kode</code>');
    expect(main.match(/<a href="lain\.md" rel="noreferrer">/g)).toHaveLength(2);
    const paragraph = main.slice(0, main.indexOf('k-quote'));
    expect(paragraph).not.toMatch(/\*\*|`|\]\(/);
  });

  it('shows a link or image to javascript: or data: as text, and raw HTML as text', () => {
    expect(main).not.toMatch(/href="(?:javascript|data):/i);
    // markdown-it refuses the destination, so the brackets stay text, as typed.
    expect(main).toContain('[jahat](javascript:alert(1)) ![gambar](data:image/png;base64,AAAA)');
    expect(main).not.toMatch(/<img|<script/i);
    expect(main).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
  });

  it('takes <title> and <h1> from the first heading, rendered', () => {
    expect(html).toContain('<title>Judul penting — Title important</title>');
    expect(html).toMatch(/<h1 class="row k-title">.*Judul <em>penting<\/em>.*Title <em>important<\/em>.*<\/h1>/);
    expect(main).not.toContain('Judul');
  });

  it('keeps a pipe table a table: Indonesian cells then English cells, one row per source row', () => {
    const table = /<table class="pair">(.*?)<\/table>/.exec(main)?.[1] ?? '';
    const rows = table.match(/<tr>.*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(3);
    const texts = rows.map((r) => [...r.matchAll(/<t[hd] class="([^"]*)" lang="(id|en)">(.*?)<\/t[hd]>/g)].map((m) => `${m[2]}:${m[3]!.replace(/<[^>]+>/g, '')}`));
    expect(texts).toEqual([
      ['id:Porta', 'id:Nama', 'en:Port', 'en:Name'],
      ['id:5353/udp', 'id:mDNS', 'en:5353/udp', 'en:mDNS'],
      ['id:22', 'id:SSH', 'en:22', 'en:SSH'],
    ]);
    expect(rows[0]).toMatch(/^<tr><th class="cell md al-left" lang="id">/);
    expect(rows[1]).toContain('<td class="cell md al-right" lang="id"><span class="s" data-s="');
  });

  it('drops the quote prefix of a continuation line in both columns', () => {
    expect(main).toContain('Kutipan baris satu\nlanjut baris dua.');
    expect(main).toContain('Quote line one\ncontinued line two.');
    expect(main).not.toContain('&gt; lanjut');
  });

  it('names a folder-loaded model by its folder name and hash, never its path', () => {
    expect(html).toContain('Model: tiny (q8, 0123abcd)');
    for (const out of [html, renderJson(doc), renderTmx(doc), renderMarkdown(doc)]) expect(out).not.toContain('/home/someone');
    expect(JSON.parse(renderJson(doc)).model).toMatchObject({ id: 'tiny', hash: '0123abcd' });
    expect(renderTmx(doc)).toContain('<prop type="x-dwibahasa-model">tiny q8 0123abcd</prop>');
  });
});

describe('.id-en.md of a Markdown article', () => {
  const md = renderMarkdown(doc);

  it('writes a pipe table as its own table, source columns beside English columns, rows aligned', () => {
    expect(md).toContain(
      [
        '| Porta | Nama | Port | Name |',
        '| :--- | ---: | :--- | ---: |',
        '| 5353/udp | *mDNS* | 5353/udp | *mDNS* |',
        '| 22 | SSH | 22 | SSH |',
      ].join('\n'),
    );
    // The two-column table resumes after it, with its header.
    expect(md.split('| Indonesia | English |')).toHaveLength(3);
    expect(md).not.toMatch(/^\| Porta \|$/m);
  });

  it('shows a quote continuation without its ">"', () => {
    expect(md).toContain('| › Kutipan baris satu<br>lanjut baris dua. | › Quote line one<br>continued line two. |');
  });
});

describe('.id-en.json of a Markdown article', () => {
  const json = JSON.parse(renderJson(doc)) as { blocks: Array<{ kind: string; source: string; table?: unknown }> };

  it('gives every table cell its table, row and column (and the column alignment)', () => {
    const cells = json.blocks.filter((b) => b.kind === 'table-cell').map((b) => [b.source, b.table]);
    expect(cells).toEqual([
      ['Porta', { index: 0, row: 0, column: 0, align: 'left' }],
      ['Nama', { index: 0, row: 0, column: 1, align: 'right' }],
      ['5353/udp', { index: 0, row: 1, column: 0, align: 'left' }],
      ['*mDNS*', { index: 0, row: 1, column: 1, align: 'right' }],
      ['22', { index: 0, row: 2, column: 0, align: 'left' }],
      ['SSH', { index: 0, row: 2, column: 1, align: 'right' }],
    ]);
    expect(json.blocks.find((b) => b.kind === 'paragraph')).not.toHaveProperty('table');
  });

  it('numbers a second table on its own', () => {
    const two = pageDoc('| a | b |\n|---|---|\n| c | d |\n\nteks\n\n| e |\n|---|\n| f |\n');
    const tables = (JSON.parse(renderJson(two)) as typeof json).blocks.flatMap((b) => (b.table ? [b.table] : []));
    expect(tables.map((t) => (t as { index: number }).index)).toEqual([0, 0, 0, 0, 1, 1]);
  });
});

describe('.en.md of a Markdown quote', () => {
  it('keeps the quote prefix where the English has it, so the quote stays a quote', () => {
    expect(renderText(doc)).toContain('> Quote line one\n> continued line two.\n');
  });
});
