/**
 * The HTML written by a real run over a sample article, in headless Chromium: no script errors,
 * the two cells of each row start side by side, every sentence has its counterpart.
 * Needs /usr/bin/chromium (Debian's `chromium`; .ci/run installs it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModel } from '../helpers/tiny-model.js';
import { ROOT, runCli } from './cli-helpers.js';

// Skipped only where the browser is not installed: the page cannot be checked without one.
describe.skipIf(skipWithoutChromium)('HTML output of a real run, in Chromium', () => {
  let html: string;

  beforeAll(async () => {
    const model = await makeTinyModel();
    const out = mkdtempSync(join(tmpdir(), 'dwb-html-'));
    const r = await runCli(['translate', join(ROOT, 'samples/articles/as-rusia-bertemu-10-januari.txt'), '--out', out, '--model', model, '--formats', 'html']);
    expect(r.code, r.stderr).toBe(0);
    html = join(out, 'as-rusia-bertemu-10-januari.id-en.html');
  });

  it('shows the article with rows that line up and sentences that pair up', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      await page.goto(pathToFileURL(html).href);
      const rows = await page.$$eval('.row', (els) =>
        els
          .map((row) => [row.querySelector(':scope > .cell[lang="id"]'), row.querySelector(':scope > .cell[lang="en"]')] as const)
          .filter(([id, en]) => id && en)
          .map(([id, en]) => [id!.getBoundingClientRect().top, en!.getBoundingClientRect().top, id!.getBoundingClientRect().left < en!.getBoundingClientRect().left]),
      );
      expect(rows.length).toBeGreaterThan(10);
      for (const [idTop, enTop, leftToRight] of rows) {
        expect(Math.abs((idTop as number) - (enTop as number))).toBeLessThan(1);
        expect(leftToRight).toBe(true);
      }
      const keys = await page.$$eval('[data-s]', (els) => els.map((e) => e.getAttribute('data-s')));
      const counts = new Map<string, number>();
      for (const k of keys) counts.set(k!, (counts.get(k!) ?? 0) + 1);
      for (const n of counts.values()) expect(n).toBe(2);
      expect(await page.textContent('body')).toContain('Baca juga:');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
