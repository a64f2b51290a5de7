/**
 * The bilingual HTML page in headless Chromium: layout, highlighting, narrow screens, and that
 * hostile document text cannot run script. Needs Chromium at /usr/bin/chromium
 * (Debian: `apt-get install -y chromium`).
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIGHLIGHT_CLASS, renderHtml } from '../../src/write/html.js';
import { MD_DOC, TEXT_DOC } from './fixtures.js';

describe.skipIf(skipWithoutChromium)('HTML page in Chromium', () => {
  let browser: Browser;
  let dir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    dir = await fs.mkdtemp(join(tmpdir(), 'dwibahasa-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
  });

  async function open(html: string, width: number): Promise<Page> {
    const file = join(dir, `page-${width}-${problems.length}-${Math.random().toString(36).slice(2)}.html`);
    await fs.writeFile(file, html);
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    return page;
  }

  /** [id cell, en cell] boxes of every row with two cells (the title row included). */
  async function rowBoxes(page: Page): Promise<{ id: DOMRect; en: DOMRect }[]> {
    return page.$$eval('.row', (rows) =>
      rows.flatMap((row) => {
        const id = row.querySelector(':scope > .cell[lang="id"]');
        const en = row.querySelector(':scope > .cell[lang="en"]');
        return id && en ? [{ id: id.getBoundingClientRect().toJSON(), en: en.getBoundingClientRect().toJSON() }] : [];
      }),
    );
  }

  it('loads without console or page errors, applies its style, and runs no injected script', async () => {
    for (const doc of [TEXT_DOC, MD_DOC]) {
      const page = await open(renderHtml(doc), 1200);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('script').count()).toBe(1);
      // The style was allowed by the CSP: rows are grids.
      expect(await page.$eval('main .row', (r) => getComputedStyle(r).display)).toBe('grid');
      await page.close();
    }
    const page = await open(renderHtml(TEXT_DOC), 1200);
    expect(await page.locator('main').innerText()).toContain('<script>window.__pwned=1</script>!');
    expect(await page.title()).toBe('Banjir & "Hujan" <Jakarta> — Floods & "Rain" <Jakarta>');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('lines up the two cells of every row side by side on a wide screen', async () => {
    const page = await open(renderHtml(TEXT_DOC), 1200);
    const boxes = await rowBoxes(page);
    expect(boxes).toHaveLength(4);
    for (const { id, en } of boxes) {
      expect(Math.abs(id.top - en.top)).toBeLessThan(1);
      expect(en.left).toBeGreaterThanOrEqual(id.right);
    }
    await page.close();
  });

  it('highlights a sentence and its counterpart on hover, and only those', async () => {
    const page = await open(renderHtml(TEXT_DOC), 1200);
    const hasHl = (sel: string): Promise<boolean> =>
      page.$eval(sel, (el, cls) => el.classList.contains(cls), HIGHLIGHT_CLASS);
    await page.hover('.cell[lang="id"] [data-s="1-1"]');
    expect(await hasHl('.cell[lang="en"] [data-s="1-1"]')).toBe(true);
    expect(await hasHl('.cell[lang="id"] [data-s="1-1"]')).toBe(true);
    expect(await hasHl('.cell[lang="en"] [data-s="1-0"]')).toBe(false);
    // Hovering the English side works the other way, and moves the highlight.
    await page.hover('.cell[lang="en"] [data-s="2-1"] .err');
    expect(await hasHl('.cell[lang="id"] [data-s="2-1"]')).toBe(true);
    expect(await hasHl('.cell[lang="id"] [data-s="1-1"]')).toBe(false);
    // Leaving the sentences clears it.
    await page.mouse.move(1, 790);
    expect(await page.locator(`.${HIGHLIGHT_CLASS}`).count()).toBe(0);
    await page.close();
  });

  it('highlights on keyboard focus and on tap', async () => {
    const page = await open(renderHtml(TEXT_DOC), 1200);
    await page.focus('.cell[lang="id"] [data-s="3-0"]');
    expect(await page.locator(`.cell[lang="en"] [data-s="3-0"].${HIGHLIGHT_CLASS}`).count()).toBe(1);
    await page.dispatchEvent('.cell[lang="en"] [data-s="1-0"]', 'click');
    expect(await page.locator(`.cell[lang="id"] [data-s="1-0"].${HIGHLIGHT_CLASS}`).count()).toBe(1);
    expect(await page.locator(`.${HIGHLIGHT_CLASS}`).count()).toBe(2);
    await page.close();
  });

  it('stacks the columns on a 375 px screen', async () => {
    const page = await open(renderHtml(MD_DOC), 375);
    const boxes = await rowBoxes(page);
    expect(boxes.length).toBeGreaterThan(3);
    for (const { id, en } of boxes) {
      expect(en.top).toBeGreaterThanOrEqual(id.bottom - 0.5);
      expect(en.width).toBeGreaterThan(300);
    }
    // Nothing overflows sideways except inside the scrollable code boxes.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.close();
  });

  it('prints without highlight colours or a sticky header', async () => {
    const page = await open(renderHtml(TEXT_DOC), 1200);
    await page.hover('.cell[lang="id"] [data-s="1-0"]');
    await page.emulateMedia({ media: 'print' });
    const bg = await page.$eval('.cell[lang="en"] [data-s="1-0"]', (el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgba(0, 0, 0, 0)');
    expect(await page.$eval('.cols th', (el) => getComputedStyle(el).position)).toBe('static');
    // Long rows may break across pages (a row that refused to left a third of a page blank).
    expect(await page.$eval('main .row', (el) => getComputedStyle(el).breakInside)).toBe('auto');
    await page.close();
  });

  it('logged no console errors, page errors or network requests on any page above', () => {
    expect(problems).toEqual([]);
  });
});
