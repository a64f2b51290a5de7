/**
 * The page of a Markdown article in headless Chromium: rendered emphasis and links, a table as a
 * table with aligned rows, the heading as title, no script from the input, print layout, and a
 * readable line length. Needs Chromium at /usr/bin/chromium (Debian: `apt-get install -y chromium`).
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/write/html.js';
import { pageDoc } from './markdown-page.js';

describe.skipIf(skipWithoutChromium)('Markdown article page in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let file: string;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    dir = await fs.mkdtemp(join(tmpdir(), 'dwibahasa-mdpage-'));
    file = join(dir, 'artikel.id-en.html');
    await fs.writeFile(file, renderHtml(pageDoc()));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
  });

  async function open(width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (m) => problems.push(`console ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    return page;
  }

  it('renders emphasis, code and links in both columns, and takes the title from the heading', async () => {
    const page = await open(1200);
    expect(await page.title()).toBe('Judul penting — Title important');
    for (const lang of ['id', 'en']) {
      const cell = page.locator(`main .k-paragraph .cell[lang="${lang}"]`).first();
      expect(await cell.locator('strong').evaluate((e) => Number(getComputedStyle(e).fontWeight))).toBeGreaterThanOrEqual(600);
      expect(await cell.locator('code').evaluate((e) => getComputedStyle(e).fontFamily)).toMatch(/mono/i);
      expect(await cell.locator('a').getAttribute('href')).toBe('lain.md');
      expect(await cell.innerText()).not.toMatch(/\*\*|`/);
    }
    expect(await page.locator('h1 em').count()).toBe(2);
    await page.close();
  });

  it('shows a pipe table as a table, each English row level with its source row', async () => {
    const page = await open(1200);
    const rows = await page.$$eval('table.pair tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => ({ lang: c.getAttribute('lang'), text: (c as HTMLElement).innerText, top: c.getBoundingClientRect().top }))),
    );
    expect(rows.map((r) => r.map((c) => `${c.lang}:${c.text}`))).toEqual([
      ['id:Porta', 'id:Nama', 'en:Port', 'en:Name'],
      ['id:5353/udp', 'id:mDNS', 'en:5353/udp', 'en:mDNS'],
      ['id:22', 'id:SSH', 'en:22', 'en:SSH'],
    ]);
    for (const r of rows) for (const c of r) expect(Math.abs(c.top - r[0]!.top)).toBeLessThan(1);
    expect(await page.$eval('table.pair', (t) => getComputedStyle(t).display)).toBe('table');
    await page.close();
  });

  it('runs no script and loads nothing from the input', async () => {
    const page = await open(1200);
    await page.locator('main').click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img, main script, main [onerror]').count()).toBe(0);
    expect(await page.locator('main a[href^="javascript:" i], main a[href^="data:" i]').count()).toBe(0);
    expect(await page.locator('main').innerText()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps lines readable on a wide screen (at most about 80 characters per column)', async () => {
    const page = await open(2560);
    const perColumn = await page.$eval('main .k-paragraph .cell[lang="id"]', (cell) => {
      const probe = document.createElement('span');
      probe.textContent = '0'.repeat(100);
      probe.style.whiteSpace = 'nowrap';
      probe.style.position = 'absolute';
      cell.appendChild(probe);
      const ch = probe.getBoundingClientRect().width / 100;
      probe.remove();
      return cell.getBoundingClientRect().width / ch;
    });
    expect(perColumn).toBeLessThanOrEqual(80);
    expect(perColumn).toBeGreaterThan(60);
    await page.close();
  });

  it('prints with the column header as a repeating table header, rows free to break, over several pages', async () => {
    const page = await open(1200);
    await page.emulateMedia({ media: 'print' });
    expect(await page.$eval('.sheet > thead', (e) => getComputedStyle(e).display)).toBe('table-header-group');
    expect(await page.$eval('main .k-paragraph', (e) => getComputedStyle(e).breakInside)).toBe('auto');
    expect(await page.$eval('.cols th', (e) => getComputedStyle(e).position)).toBe('static');
    // A long article prints on several pages (the print style is applied by the PDF renderer).
    const long = pageDoc(Array.from({ length: 120 }, (_, i) => `Paragraf nomor ${i} dengan **tebal** dan teks yang cukup panjang untuk satu baris.`).join('\n\n') + '\n');
    const longFile = join(dir, 'long.html');
    await fs.writeFile(longFile, renderHtml(long));
    await page.goto(pathToFileURL(longFile).href);
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(1);
    await page.close();
  });
});
