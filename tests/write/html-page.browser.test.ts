/**
 * x.en.html in headless Chromium: it loads with no console error, says lang="en", shows the
 * English, and the browser builds the same element tree as for the original page (so the
 * rewritten page is as well-formed as its input). Needs Chromium at /usr/bin/chromium.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INLINE, windows1252Page } from '../parse/html/fixtures.js';
import { translatePages, upperCase } from '../pipeline/html-pages.js';

describe.skipIf(skipWithoutChromium)('the English page in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function load(file: string): Promise<{ problems: string[]; lang: string; text: string; tags: string[]; bold: string | null }> {
    const problems: string[] = [];
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(pathToFileURL(file).href);
    const result = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      text: document.body.innerText,
      tags: [...document.querySelectorAll('*')].map((e) => e.tagName),
      bold: document.querySelector('article b')?.textContent ?? null,
    }));
    await page.close();
    return { problems, ...result };
  }

  it('loads without errors, in English, with the same element tree as the original', async () => {
    const { input, out } = await translatePages({ 'berita.html': INLINE, 'lama.html': windows1252Page() }, { translate: upperCase });
    const original = await load(join(input, 'berita.html'));
    const english = await load(join(out, 'berita.en.html'));
    expect(english.problems).toEqual([]);
    expect(english.lang).toBe('en');
    expect(english.tags).toEqual(original.tags);
    expect(english.bold).toBe('JOKO WIDODO');
    expect(english.text).toContain('PRESIDEN JOKO WIDODO MENGATAKAN');
    expect(english.text).toContain('Beranda'); // the navigation, untouched
    expect(english.text).not.toContain('Presiden Joko Widodo mengatakan');

    const old = await load(join(out, 'lama.en.html'));
    expect(old.problems).toEqual([]);
    expect(old.lang).toBe('en');
    expect(old.text).toContain('KAMI MINUM KOPI DI CAF\u00c9 \u201cSENJA\u201d \u2013 TEMPAT FAVORIT WARGA.');
  }, 120_000);

  it('the saved real pages: the same element tree and the same console messages as the original, in English', async () => {
    const dir = join(__dirname, '../../samples/html');
    const names = readdirSync(dir).filter((f) => f.endsWith('.html'));
    const { input, out } = await translatePages(Object.fromEntries(names.map((f) => [f, readFileSync(join(dir, f))])));
    for (const f of names) {
      const original = await load(join(input, f));
      const english = await load(join(out, f.replace(/\.html$/, '.en.html')));
      // Saved pages point at stylesheets and images that are not there (Chromium reports them a varying
      // number of times); the English page must have no other kind of error.
      expect([...new Set(english.problems)].sort(), f).toEqual([...new Set(original.problems)].sort());
      expect(english.lang, f).toBe('en');
      expect(english.tags, f).toEqual(original.tags);
      expect(english.text, f).not.toEqual(original.text);
    }
  }, 120_000);
});
