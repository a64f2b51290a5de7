import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outputPaths, writeOutputs } from '../../src/write/formats.js';
import { renderHtml } from '../../src/write/html.js';
import { renderText } from '../../src/write/text.js';
import { MD_DOC, MD_ENGLISH, TEXT_DOC } from './fixtures.js';

describe('outputPaths', () => {
  it('names every format after the output base', () => {
    expect(outputPaths('/o/a/b/x', 'text', ['md', 'html', 'json', 'txt', 'tmx'])).toEqual({
      md: '/o/a/b/x.id-en.md',
      html: '/o/a/b/x.id-en.html',
      json: '/o/a/b/x.id-en.json',
      txt: '/o/a/b/x.en.txt',
      tmx: '/o/a/b/x.id-en.tmx',
    });
  });

  it('gives Markdown inputs an .en.md English file and includes only requested formats', () => {
    expect(outputPaths('o/x', 'markdown', ['txt', 'json'])).toEqual({ txt: 'o/x.en.md', json: 'o/x.id-en.json' });
  });
});

describe('writeOutputs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'dwibahasa-write-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes each requested format once and returns the paths in order', async () => {
    const base = join(dir, 'sub', 'catatan');
    const written = await writeOutputs(MD_DOC, base, ['txt', 'html', 'txt']);
    expect(written).toEqual([`${base}.en.md`, `${base}.id-en.html`]);
    expect(await fs.readFile(`${base}.en.md`, 'utf8')).toBe(MD_ENGLISH);
    expect(await fs.readFile(`${base}.id-en.html`, 'utf8')).toBe(renderHtml(MD_DOC));
    expect((await fs.readdir(join(dir, 'sub'))).sort()).toEqual(['catatan.en.md', 'catatan.id-en.html']);
  });

  it('writes all five formats', async () => {
    const base = join(dir, 'banjir');
    await writeOutputs(TEXT_DOC, base, ['md', 'html', 'json', 'txt', 'tmx'], { fsync: false });
    expect((await fs.readdir(dir)).sort()).toEqual([
      'banjir.en.txt',
      'banjir.id-en.html',
      'banjir.id-en.json',
      'banjir.id-en.md',
      'banjir.id-en.tmx',
    ]);
    expect(await fs.readFile(`${base}.en.txt`, 'utf8')).toBe(renderText(TEXT_DOC));
  });
});
