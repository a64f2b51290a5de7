/** Reading a JSON output back: the same document the run wrote, so a save rewrites only what it edits. */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputFileError } from '../../src/errors.js';
import { Catalog } from '../../src/serve/catalog.js';
import { readJsonDocument } from '../../src/serve/document.js';
import { outputPaths } from '../../src/write/formats.js';
import { renderHtml } from '../../src/write/html.js';
import { renderJson } from '../../src/write/json.js';
import { renderMarkdown } from '../../src/write/markdown.js';
import { renderText } from '../../src/write/text.js';
import { renderTmx } from '../../src/write/tmx.js';
import type { OutputFormat, TranslatedDocument } from '../../src/types.js';
import { makeOutput } from './helpers.js';

const RENDER: Record<OutputFormat, (d: TranslatedDocument) => string> = { md: renderMarkdown, html: renderHtml, json: renderJson, txt: renderText, tmx: renderTmx };
let out: string;

beforeAll(async () => {
  ({ out } = await makeOutput());
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('readJsonDocument', () => {
  it('gives back a document that renders byte for byte to the five files the run wrote', async () => {
    const catalog = new Catalog(out);
    await catalog.refresh();
    const files = catalog.list();
    expect(files.map((f) => f.name)).toEqual(['berita/dua', 'berita/satu', 'panduan']);
    for (const f of files) {
      const review = await catalog.load(f);
      // Every block with sentences could be split back into them, so every sentence is editable.
      review.doc.blocks.forEach((b, i) => expect(b.translate && b.segments.length > 0 ? review.leading[i] : '', `${f.name} block ${i}`).toBeDefined());
      const paths = outputPaths(f.base, f.format, f.formats);
      expect(f.formats).toHaveLength(5);
      for (const fmt of f.formats) expect(RENDER[fmt](review.doc), `${f.name} ${fmt}`).toBe(readFileSync(paths[fmt], 'utf8'));
    }
  });

  it('names the file and the key when the JSON is not a dwibahasa output', () => {
    const good = JSON.parse(readFileSync(`${out}/panduan.id-en.json`, 'utf8')) as { blocks: Array<Record<string, unknown>> };
    good.blocks[1]!.kind = 'poem';
    const err = (() => {
      try {
        readJsonDocument(JSON.stringify(good), '/x/panduan.id-en.json', 'markdown');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InputFileError);
    expect((err as Error).message).toMatch(/\/x\/panduan\.id-en\.json: blocks\[1\]\.kind: unknown block kind "poem"/);
    expect(() => readJsonDocument('{', '/x/a.id-en.json', 'text')).toThrow(/\/x\/a\.id-en\.json: whole file: not JSON/);
    const newer = JSON.parse(readFileSync(`${out}/panduan.id-en.json`, 'utf8')) as Record<string, unknown>;
    newer.schemaVersion = 99;
    expect(() => readJsonDocument(JSON.stringify(newer), '/x/panduan.id-en.json', 'markdown')).toThrow(/panduan\.id-en\.json: schemaVersion: layout version 99/);
  });
});
