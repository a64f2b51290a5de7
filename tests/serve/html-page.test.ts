/**
 * Reviewing a saved web page over HTTP, translated by the generated test model: the sentence is
 * shown and edited with its inline tags as placeholders, a save rewrites the six outputs (x.en.html
 * included) only in that sentence, what a person types is escaped into the page, and a save is
 * refused when x.en.html could not be made again (the original page changed or is gone); a later
 * run keeps the edit.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { TranslationMemory } from '../../src/memory/memory.js';
import { startReviewServer, type ReviewServer } from '../../src/serve/server.js';
import { openEngine } from '../../src/translate/open-engine.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { htmlToPlain } from '../../src/write/html-view.js';
import { makeTinyModel } from '../helpers/tiny-model.js';
import { findAll, parseXml } from '../write/xml-check.js';
import { http, makeOutputFrom, snapshot } from './helpers.js';

const PAGE = 'as-rusia-bertemu-10-januari.html';
const NAME = 'as-rusia-bertemu-10-januari';
const SAMPLE = readFileSync(join(__dirname, '../../samples/html', PAGE));
/** A sentence with a link in it, as the page shows it: the tag a bare placeholder, no attribute. */
const LINKED = 'Ini ditegaskan oleh Menteri Luar Negeri Rusia <a>Sergei Lavrov</a>, menggaris bawahi untuk tidak membuat konsesi sepihak tanpa memperhitungkan keseimbangan kepentingan Kremlin.';
const LINKED_RAW = 'Ini ditegaskan oleh Menteri Luar Negeri Rusia <a href="/tag/sergei-lavrov">Sergei Lavrov</a>, menggaris bawahi untuk tidak membuat konsesi sepihak tanpa memperhitungkan keseimbangan kepentingan Kremlin.';
const NEW_ENGLISH = 'Russian Foreign Minister <a>Sergei Lavrov</a> stressed this, with no R&D < 1.';
const NEW_RAW = 'Russian Foreign Minister <a href="/tag/sergei-lavrov">Sergei Lavrov</a> stressed this, with no R&amp;D &lt; 1.';

let input: string;
let out: string;
let memoryFile: string;
let server: ReviewServer;
let auth: Record<string, string>;

interface SentenceJson { s: number; source: string; target: string; editable: boolean }
interface FileJson { name: string; formats: string[]; blocks: Array<{ b: number; sentences?: SentenceJson[] }> }
type Json = { blocks: Array<{ segments: Array<{ source: string; target: string; reviewed?: string; flags?: string[] }> }> };

beforeAll(async () => {
  const model = await makeTinyModel();
  const config = defaultConfig();
  config.model.id = model;
  config.model.download = 'never';
  // One engine in this process: no worker threads (they load the compiled dist/), and the machine is shared.
  config.engine.workers = 1;
  const engine = await openEngine(config, { baseDir: model });
  try {
    ({ input, out, memoryFile } = await makeOutputFrom({ [PAGE]: SAMPLE }, engine, { guards: false }));
  } finally {
    await engine.dispose();
  }
  server = await startReviewServer({ outDir: out, memoryFile });
  auth = { authorization: `token ${server.token}` };
}, 240_000);
afterAll(async () => {
  await server?.close();
  for (const d of [input, out]) if (d) rmSync(d, { recursive: true, force: true });
});

async function view(): Promise<FileJson> {
  const r = await http(server.port, { path: `/api/file?name=${encodeURIComponent(NAME)}`, headers: auth });
  expect(r.status, r.body).toBe(200);
  return JSON.parse(r.body) as FileJson;
}

async function find(source: string): Promise<{ b: number; s: SentenceJson }> {
  for (const block of (await view()).blocks) for (const s of block.sentences ?? []) if (s.source === source) return { b: block.b, s };
  throw new Error(`no sentence ${source}`);
}

async function saveShown(source: string, target: string): ReturnType<typeof http> {
  const { b, s } = await find(source);
  const body = JSON.stringify({ name: NAME, block: b, segment: s.s, source, base: s.target, target });
  return http(server.port, { method: 'POST', path: '/api/save', headers: { ...auth, 'content-type': 'application/json' }, body });
}

function rawSegment(json: string, source: string): { source: string; target: string; flags?: string[] } {
  const seg = (JSON.parse(json) as Json).blocks.flatMap((x) => x.segments).find((x) => x.source === source);
  if (seg === undefined) throw new Error(`no segment ${source}`);
  return seg;
}

function humanCount(source: string): number {
  const mem = TranslationMemory.open(memoryFile);
  try {
    return mem.getHuman([source]).size;
  } finally {
    mem.close();
  }
}

describe('review of a web page', () => {
  it('lists the page as HTML input with its six outputs, sentences shown with bare placeholders', async () => {
    const v = await view();
    expect(v.formats).toEqual(['md', 'html', 'json', 'txt', 'tmx']);
    const { s } = await find(LINKED);
    expect(s.editable).toBe(true);
    expect(s.source).not.toContain('href');
    // The English as shown has the link as a placeholder too (the test model may have dropped it; then the tags were put back).
    expect(s.target).toContain('<a>');
  });

  it('saves an edit: all six outputs change only in that sentence, the link keeps its address', async () => {
    const before = snapshot(out);
    const old = rawSegment(before.get(`${NAME}.id-en.json`)!, LINKED_RAW);
    const r = await saveShown(LINKED, NEW_ENGLISH);
    expect(r.status, r.body).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ target: NEW_ENGLISH, files: [NAME], failures: [] });
    const after = snapshot(out);
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k)).sort();
    expect(changed).toEqual([`${NAME}.en.html`, `${NAME}.en.txt`, `${NAME}.id-en.html`, `${NAME}.id-en.json`, `${NAME}.id-en.md`, `${NAME}.id-en.tmx`]);
    // x.en.html: that sentence's English replaced, every other byte as it was.
    const page = before.get(`${NAME}.en.html`)!;
    expect(page.split(old.target).length).toBe(2);
    expect(after.get(`${NAME}.en.html`)).toBe(page.replace(old.target, NEW_RAW));
    // The plain-text outputs: the old English (tags removed) and its flag note replaced by the new
    // English, escaped as each format escapes text; the note goes, since the flag was about the model's English.
    const oldPlain = htmlToPlain(old.target).trim();
    const flags = old.flags ?? [];
    const newPlain = 'Russian Foreign Minister Sergei Lavrov stressed this, with no R&D < 1.';
    const note = flags.join(', ');
    // The page's flag note carries the flags' meanings as a hover title.
    const noteRe = new RegExp(` <span class="flag"(?: title="[^"]*")?>⚠ ${note.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</span>`);
    const flagSpan = flags.length > 0 ? (noteRe.exec(before.get(`${NAME}.id-en.html`)!)?.[0] ?? '(no flag note found)') : '';
    const cases: Array<[string, string, string]> = [
      [`${NAME}.en.txt`, oldPlain, newPlain],
      [`${NAME}.id-en.md`, oldPlain + (flags.length > 0 ? ` ⚠ ${note}` : ''), newPlain.replace('<', '\\<')],
      [`${NAME}.id-en.html`, oldPlain + flagSpan, newPlain.replace('&', '&amp;').replace('<', '&lt;')],
    ];
    for (const [k, was, now] of cases) {
      expect(before.get(k)!.split(was).length, k).toBe(2);
      expect(after.get(k), k).toBe(before.get(k)!.replace(was, now));
    }
    const segsB = (JSON.parse(before.get(`${NAME}.id-en.json`)!) as Json).blocks.flatMap((x) => x.segments);
    const segsA = (JSON.parse(after.get(`${NAME}.id-en.json`)!) as Json).blocks.flatMap((x) => x.segments);
    expect(segsA.length).toBe(segsB.length);
    segsA.forEach((seg, i) => {
      if (seg.source === LINKED_RAW) expect(seg).toEqual({ source: LINKED_RAW, target: NEW_RAW, reviewed: expect.stringMatching(/^\d{4}-/) });
      else expect(seg).toEqual(segsB[i]);
    });
    const tus = (x: string) => findAll(parseXml(x), 'tu');
    const tb = tus(before.get(`${NAME}.id-en.tmx`)!);
    const ta = tus(after.get(`${NAME}.id-en.tmx`)!);
    expect(ta.length).toBe(tb.length);
    let edited = 0;
    ta.forEach((tu, i) => {
      const segs = findAll(tu, 'seg').map((e) => e.text);
      if (segs[1] === newPlain) {
        edited++;
        expect(tu.attrs.changeid).toBe('dwibahasa-review');
      } else expect(tu).toEqual(tb[i]);
    });
    expect(edited).toBe(1);
    // Stored for later runs in the page's own form: the tag with its address, the text escaped.
    const mem = TranslationMemory.open(memoryFile);
    expect(mem.getHuman([LINKED_RAW]).get(LINKED_RAW)?.target).toBe(NEW_RAW);
    mem.close();
    expect((await find(LINKED)).s.target).toBe(NEW_ENGLISH);
  });

  it('escapes what a person types: markup in the English never reaches the page as markup', async () => {
    const v = await view();
    const plain = v.blocks.flatMap((x) => x.sentences ?? []).find((s) => s.source.startsWith('Untuk diketahui'))!;
    const r = await saveShown(plain.source, 'For the record: <script>alert(1)</script> & <img src=x onerror=alert(2)>.');
    expect(r.status, r.body).toBe(200);
    const page = readFileSync(join(out, `${NAME}.en.html`), 'utf8');
    expect(page).toContain('For the record: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;.');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
  });

  it('refuses an English that drops or invents a tag (400), changing nothing', async () => {
    const before = snapshot(out);
    const dropped = await saveShown(LINKED, 'Russian Foreign Minister Sergei Lavrov stressed this.');
    expect(dropped.status).toBe(400);
    expect(JSON.parse(dropped.body).error).toMatch(/must keep this sentence's tags.*<a> <\/a>/);
    const invented = await saveShown(LINKED, 'Russian <b>Foreign</b> Minister <a>Sergei Lavrov</a> stressed this.');
    expect(invented.status).toBe(400);
    expect(snapshot(out)).toEqual(before);
  });

  it('edits a sentence holding half of an element (the closing tag of a bold dateline)', async () => {
    const v = await view();
    const dateline = v.blocks.flatMap((x) => x.sentences ?? []).find((s) => s.source.startsWith('JAKARTA</strong>'))!;
    expect(dateline.source).toMatch(/^JAKARTA<\/strong> - Rusia akan/);
    const r = await saveShown(dateline.source, 'JAKARTA</strong> - Russia will firmly defend its national interests.');
    expect(r.status, r.body).toBe(200);
    expect(readFileSync(join(out, `${NAME}.en.html`), 'utf8')).toContain('<p><strong>JAKARTA</strong> - Russia will firmly defend its national interests.</p>');
  });

  it('refuses the save (409, saying why and what to do) when the original page changed or is gone, changing nothing', async () => {
    const page = join(input, PAGE);
    const source = 'Moskow telah berulang kali membantah tuduhan itu.';
    const before = snapshot(out);
    writeFileSync(page, Buffer.concat([SAMPLE, Buffer.from('<!-- diperbarui -->\n')]));
    try {
      const r = await saveShown(source, 'Moscow has denied it again and again.');
      expect(r.status).toBe(409);
      const body = JSON.parse(r.body) as { error: string; reason: string };
      expect(body.reason).toBe('page');
      expect(body.error).toContain(`${NAME}.en.html is made from the original page`);
      expect(body.error).toMatch(/changed since it was translated.*nothing was changed.*run dwibahasa translate/);
      renameSync(page, `${page}.moved`);
      const gone = await saveShown(source, 'Moscow has denied it again and again.');
      expect(gone.status).toBe(409);
      expect(JSON.parse(gone.body).error).toMatch(new RegExp(`${PAGE.replace(/\./g, '\\.')} is no longer there.*run dwibahasa translate`));
      renameSync(`${page}.moved`, page);
    } finally {
      writeFileSync(page, SAMPLE);
    }
    expect(snapshot(out)).toEqual(before);
    expect(humanCount(source)).toBe(0);
    // The page as it was translated: the save goes through.
    expect((await saveShown(source, 'Moscow has denied it again and again.')).status).toBe(200);
    expect(readFileSync(join(out, `${NAME}.en.html`), 'utf8')).toContain('Moscow has denied it again and again.</p>');
  });

  it('a later run over the page keeps the edit in x.en.html, tag and escapes as saved', async () => {
    const again = mkdtempSync(join(tmpdir(), 'dwb-serve-again-'));
    const memory = TranslationMemory.open(memoryFile);
    try {
      const summary = await runPipeline({
        inputs: [input], outDir: again, config: defaultConfig(), engine: new FakeEngine(), human: memory, formats: ['json', 'txt'],
      });
      expect(summary.files.map((f) => f.status)).toEqual(['done']);
    } finally {
      memory.close();
    }
    expect(readFileSync(join(again, `${NAME}.en.html`), 'utf8')).toContain(`<p>${NEW_RAW}</p>`);
    rmSync(again, { recursive: true, force: true });
  });
});
