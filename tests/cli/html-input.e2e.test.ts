/**
 * Web pages end to end through the built CLI and the generated random Marian model: a folder of
 * saved news pages gives an English page per article plus the bilingual files; skipped files and
 * unreadable formats are reported.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModel } from '../helpers/tiny-model.js';
import { tagSequence } from '../pipeline/html-pages.js';
import { ROOT, runCli } from './cli-helpers.js';

let model: string;

beforeAll(async () => {
  model = await makeTinyModel();
});

describe('dwibahasa translate on saved web pages', () => {
  it('writes x.en.html and the five bilingual files for every page, and says what it skipped', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-html-e2e-in-'));
    cpSync(join(ROOT, 'samples/html'), input, { recursive: true });
    writeFileSync(join(input, 'laporan.docx'), 'PK');
    writeFileSync(join(input, 'scan.pdf'), '%PDF');
    const out = mkdtempSync(join(tmpdir(), 'dwb-html-e2e-out-'));
    const r = await runCli(['translate', input, '--out', out, '--model', model], { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    // The final report is on stdout.
    expect(r.stdout).toMatch(/Files: 4 translated, 0 unchanged, 0 failed/);
    expect(r.stdout).toContain('2 files skipped: not matched by input.include (*.docx 1, *.pdf 1)');
    for (const page of ['as-rusia-bertemu-10-januari', 'as-rusia-bertemu-10-januari.windows-1252', 'ch03.id', 'ch05.id']) {
      for (const ext of ['.id-en.md', '.id-en.html', '.id-en.json', '.en.txt', '.id-en.tmx', '.en.html']) {
        expect(existsSync(join(out, page + ext)), page + ext).toBe(true);
      }
      const original = readFileSync(join(input, `${page}.html`)).toString('latin1');
      const english = readFileSync(join(out, `${page}.en.html`)).toString('latin1');
      expect(tagSequence(english), page).toEqual(tagSequence(original));
    }
  }, 300_000);

  it('a file argument with an extension it cannot read: exit 1, the supported formats named', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-html-e2e-docx-'));
    writeFileSync(join(input, 'laporan.docx'), 'PK');
    const out = mkdtempSync(join(tmpdir(), 'dwb-html-e2e-docx-out-'));
    const r = await runCli(['translate', join(input, 'laporan.docx'), '--out', out, '--model', model]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('laporan.docx: cannot read .docx files; the supported formats are plain text (.txt, .text, no extension), Markdown (.md, .markdown), HTML (.html, .htm)');
  }, 120_000);
});
