/**
 * Issue 9, point 9: the English side of a Markdown output never gains active content (raw HTML,
 * event handlers, javascript: links) that its source did not have; the source is kept as it is.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { defuseActive } from '../../src/write/active-content.js';
import { FakeEngine } from '../helpers/fake-engine.js';

/** HTML as a Markdown viewer that allows raw HTML and every link would render it. */
const md = new MarkdownIt({ html: true, linkify: true });
md.validateLink = () => true;
const ACTIVE = /<script|<img[^>]*onerror|href="(?:javascript|vbscript|data):|<iframe/i;

const HOSTILE =
  'Hello <script>alert(1)</script> and <img src=x onerror=alert(2)> and [click](javascript:alert(3)) ' +
  'and [two](&#106;avascript:alert(4)) and <iframe src="x"></iframe> and <javascript:alert(5)>.';

async function translateMarkdown(source: string, english: (t: string) => string): Promise<{ en: string; table: string }> {
  const input = mkdtempSync(join(tmpdir(), 'dwb-ac-in-'));
  const out = mkdtempSync(join(tmpdir(), 'dwb-ac-out-'));
  writeFileSync(join(input, 'a.md'), source);
  const config = defaultConfig();
  config.guards.enabled = false;
  const summary = await runPipeline({ inputs: [input], outDir: out, config, engine: new FakeEngine({ translate: english }), formats: ['md', 'txt'] });
  expect(summary.files[0]!.status, summary.files[0]!.failures.join('\n')).toBe('done');
  return { en: readFileSync(join(out, 'a.en.md'), 'utf8'), table: readFileSync(join(out, 'a.id-en.md'), 'utf8') };
}

describe('English Markdown outputs', () => {
  it('carry no script, event handler or script link the model made up', async () => {
    const { en, table } = await translateMarkdown('# Judul\n\nIni paragraf biasa tanpa apa-apa.\n', (t) => (t.includes('paragraf') ? HOSTILE : 'Title'));
    for (const text of [en, table]) {
      expect(md.render(text)).not.toMatch(ACTIVE);
      // Shown as text instead: nothing of the English is lost.
      expect(md.render(text)).toContain('alert(1)');
    }
  });

  it('keep what the source itself has, in the source and the English alike', async () => {
    const source = '# Judul\n\nKlik <b>tombol</b> ini <img src="a.png" onerror="x()"> sekarang.\n';
    const { en, table } = await translateMarkdown(source, (t) => t.replace('Klik', 'Click').replace('sekarang', 'now'));
    expect(table).toContain('Klik <b>tombol</b> ini <img src="a.png" onerror="x()"> sekarang.');
    expect(en).toContain('<b>tombol</b>');
    expect(en.match(/<img src="a\.png" onerror="x\(\)">/g)).toHaveLength(1);
  });
});

describe('defuseActive', () => {
  it('allows as many copies of an active piece as the source has, no more', () => {
    const src = 'a <b>x</b> b';
    expect(defuseActive('<b>x</b> <b>y</b>', src)).toBe('<b>x</b> &lt;b>y&lt;/b>');
  });

  it('breaks a reference definition to a script URL the source lacks', () => {
    expect(defuseActive('[x]: javascript:alert(1)', 'tidak ada')).toBe('\\[x]: javascript:alert(1)');
    expect(defuseActive('[x]: https://example.org', 'tidak ada')).toBe('[x]: https://example.org');
  });
});
