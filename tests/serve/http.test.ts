/**
 * The review server over HTTP: who is refused (no token, wrong token, foreign Host, other origins),
 * which names it accepts, body limits, and what a save does to the files, alone and two at once.
 */
import { readFileSync, rmSync, symlinkSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/runstate/lock.js';
import { startReviewServer, type ReviewServer } from '../../src/serve/server.js';
import { TranslationMemory } from '../../src/memory/memory.js';
import { findAll, parseXml } from '../write/xml-check.js';
import { http, makeOutput, snapshot } from './helpers.js';

let out: string;
let memoryFile: string;
let server: ReviewServer;
let auth: Record<string, string>;

interface SentenceJson { s: number; source: string; target: string; flags: string[]; editable: boolean; shared: { sentences: number; files: number }; reviewed?: string }
interface FileJson { name: string; blocks: Array<{ b: number; sentences?: SentenceJson[] }> }

beforeAll(async () => {
  ({ out, memoryFile } = await makeOutput());
  server = await startReviewServer({ outDir: out, memoryFile });
  auth = { authorization: `token ${server.token}` };
});
afterAll(async () => {
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

async function fileView(name: string): Promise<FileJson> {
  const r = await http(server.port, { path: `/api/file?name=${encodeURIComponent(name)}`, headers: auth });
  expect(r.status, r.body).toBe(200);
  return JSON.parse(r.body) as FileJson;
}

async function find(name: string, source: string): Promise<{ b: number; s: SentenceJson }> {
  const v = await fileView(name);
  for (const block of v.blocks) for (const s of block.sentences ?? []) if (s.source === source) return { b: block.b, s };
  throw new Error(`no sentence ${source} in ${name}`);
}

function save(body: unknown, headers: Record<string, string> = {}): ReturnType<typeof http> {
  return http(server.port, { method: 'POST', path: '/api/save', headers: { ...auth, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function saveSentence(name: string, source: string, target: string, base?: string): ReturnType<typeof http> {
  const { b, s } = await find(name, source);
  return save({ name, block: b, segment: s.s, source, base: base ?? s.target, target });
}

describe('review server: refusals', () => {
  it('refuses requests without the token (401) or with a wrong one (403), saves included, changing nothing', async () => {
    const before = snapshot(out);
    expect((await http(server.port, { path: '/api/files' })).status).toBe(401);
    expect((await http(server.port, { path: '/' })).status).toBe(401);
    expect((await http(server.port, { path: '/page.js' })).status).toBe(401);
    expect((await http(server.port, { path: '/api/files?token=wrong' })).status).toBe(403);
    expect((await http(server.port, { path: '/api/files', headers: { authorization: `token ${server.token}x` } })).status).toBe(403);
    expect((await http(server.port, { path: '/api/files', headers: { cookie: `dwibahasa_token_${server.port}=${server.token.slice(1)}` } })).status).toBe(403);
    const { b, s } = await find('berita/satu', 'Kucing itu tidur di atas meja.');
    const body = JSON.stringify({ name: 'berita/satu', block: b, segment: s.s, source: s.source, base: s.target, target: 'Hacked.' });
    for (const headers of [{}, { authorization: "token nope" }] as Array<Record<string, string>>) {
      const r = await http(server.port, { method: 'POST', path: '/api/save', headers: { 'content-type': 'application/json', ...headers }, body });
      expect([401, 403]).toContain(r.status);
    }
    expect(snapshot(out)).toEqual(before);
    expect(readFileSync(join(out, 'berita/satu.id-en.json'), 'utf8')).not.toContain('Hacked');
  });

  it('trades the token in the address for an HttpOnly SameSite cookie, which then works alone', async () => {
    const r = await http(server.port, { path: `/?token=${server.token}` });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await http(server.port, { path: '/', headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/page.js"');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    for (const host of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1:${server.port + 1}`, `evil.example:${server.port}@127.0.0.1`]) {
      const r = await http(server.port, { path: '/api/files', headers: { ...auth, host } });
      expect(r.status, `Host: ${host}`).toBe(403);
      expect(r.body).not.toContain('berita');
    }
    expect((await http(server.port, { path: '/api/files', headers: { ...auth, host: `localhost:${server.port}` } })).status).toBe(200);
    // No Host at all (HTTP/1.0 allows that): refused too.
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = connect(server.port, '127.0.0.1', () => sock.end(`GET /api/files HTTP/1.0\r\nAuthorization: token ${server.token}\r\n\r\n`));
      let got = '';
      sock.on('data', (d) => (got += d.toString()));
      sock.on('end', () => resolve(got));
      sock.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 403/);
  });

  it('refuses saves from another origin, cross-site, or not sent as JSON', async () => {
    const before = snapshot(out);
    const { b, s } = await find('berita/satu', 'Kucing itu tidur di atas meja.');
    const body = { name: 'berita/satu', block: b, segment: s.s, source: s.source, base: s.target, target: 'Cross site.' };
    expect((await save(body, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await save(body, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await save(body, { 'content-type': 'text/plain' })).status).toBe(403);
    expect(snapshot(out)).toEqual(before);
  });

  it('takes no path from the request: ../, absolute paths and unknown names are refused, nothing changed', async () => {
    const before = snapshot(out);
    for (const name of ['../etc/passwd', '/etc/passwd', 'berita/../berita/satu', 'berita/satu.id-en.json', '..']) {
      expect((await http(server.port, { path: `/api/file?name=${encodeURIComponent(name)}`, headers: auth })).status, name).toBe(404);
      const r = await save({ name, block: 0, segment: 0, source: 'x', base: 'x', target: 'y' });
      expect(r.status, name).toBe(404);
    }
    expect((await http(server.port, { path: '/../../etc/passwd', headers: auth })).status).toBe(404);
    expect(snapshot(out)).toEqual(before);
  });

  it('lists a manifest entry pointing outside and a symbolic link out of the folder as not reviewable, and serves neither', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'dwb-outside-'));
    writeFileSync(join(outside, 'secret.id-en.json'), readFileSync(join(out, 'berita/satu.id-en.json')));
    symlinkSync(join(outside, 'secret.id-en.json'), join(out, 'tautan.id-en.json'));
    const manifestFile = join(out, '.dwibahasa', 'run.json');
    const original = readFileSync(manifestFile, 'utf8');
    const m = JSON.parse(original) as { files: Record<string, unknown> };
    const entry = Object.values(m.files)[0];
    m.files['../' + 'x'.repeat(3)] = entry;
    m.files['tautan'] = entry;
    writeFileSync(manifestFile, JSON.stringify(m));
    try {
      const list = JSON.parse((await http(server.port, { path: '/api/files', headers: auth })).body) as { files: Array<{ name: string; problem?: string }> };
      expect(list.files.find((f) => f.name === '../xxx')?.problem).toMatch(/outside the output folder/);
      expect(list.files.find((f) => f.name === 'tautan')?.problem).toMatch(/symbolic link out/);
      for (const name of ['../xxx', 'tautan']) {
        const r = await http(server.port, { path: `/api/file?name=${encodeURIComponent(name)}`, headers: auth });
        expect(r.status).toBe(409);
        expect(r.body).not.toContain('Kucing');
      }
    } finally {
      writeFileSync(manifestFile, original);
      rmSync(join(out, 'tautan.id-en.json'));
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses an oversized body (413) and malformed saves (400), changing nothing', async () => {
    const before = snapshot(out);
    const { b, s } = await find('berita/satu', 'Kucing itu tidur di atas meja.');
    const huge = save({ name: 'berita/satu', block: b, segment: s.s, source: s.source, base: s.target, target: 'x'.repeat(200_000) });
    expect((await huge).status).toBe(413);
    for (const bad of [{}, { name: 'berita/satu', block: -1, segment: 0, source: '', base: '', target: 'x' }, { name: 'berita/satu', block: b, segment: s.s, source: s.source, base: s.target, target: '   ' }]) {
      expect((await save(bad)).status).toBe(400);
    }
    const notJson = await http(server.port, { method: 'POST', path: '/api/save', headers: { ...auth, 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('review server: saves', () => {
  it('changes the five outputs only in that sentence, marks it reviewed, stores it as a human translation', async () => {
    const source = 'Kucing itu tidur di atas meja.';
    const { s } = await find('berita/satu', source);
    const before = snapshot(out);
    const r = await saveSentence('berita/satu', source, 'The cat sleeps on the table.');
    expect(r.status, r.body).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ files: ['berita/satu'], sentences: 1, failures: [] });
    const after = snapshot(out);
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k)).sort();
    expect(changed).toEqual(['berita/satu.en.txt', 'berita/satu.id-en.html', 'berita/satu.id-en.json', 'berita/satu.id-en.md', 'berita/satu.id-en.tmx']);
    // Text formats: the old English replaced by the new, nothing else (both are plain words, unescaped in every format).
    for (const k of ['berita/satu.en.txt', 'berita/satu.id-en.html', 'berita/satu.id-en.md']) {
      expect(before.get(k)!.split(s.target).length, k).toBe(2);
      expect(after.get(k), k).toBe(before.get(k)!.replace(s.target, 'The cat sleeps on the table.'));
    }
    type J = { blocks: Array<{ target: string; segments: Array<Record<string, unknown>> }> };
    const jb = JSON.parse(before.get('berita/satu.id-en.json')!) as J;
    const ja = JSON.parse(after.get('berita/satu.id-en.json')!) as J;
    const segsB = jb.blocks.flatMap((x) => x.segments);
    const segsA = ja.blocks.flatMap((x) => x.segments);
    expect(segsA.length).toBe(segsB.length);
    segsA.forEach((seg, i) => {
      if (seg.source === source) {
        expect(seg.target).toBe('The cat sleeps on the table.');
        expect(typeof seg.reviewed).toBe('string');
        expect(seg.flags).toBeUndefined();
      } else expect(seg).toEqual(segsB[i]);
    });
    const tus = (x: string) => findAll(parseXml(x), 'tu');
    const tb = tus(before.get('berita/satu.id-en.tmx')!);
    const ta = tus(after.get('berita/satu.id-en.tmx')!);
    expect(ta.length).toBe(tb.length);
    ta.forEach((tu, i) => {
      const segs = findAll(tu, 'seg').map((e) => e.text);
      if (segs[0] === source) {
        expect(segs[1]).toBe('The cat sleeps on the table.');
        expect(tu.attrs.changeid).toBe('dwibahasa-review');
        expect(tu.attrs.changedate).toMatch(/^\d{8}T\d{6}Z$/);
      } else expect(tu).toEqual(tb[i]);
    });
    const mem = TranslationMemory.open(memoryFile);
    expect(mem.getHuman([source]).get(source)?.target).toBe('The cat sleeps on the table.');
    mem.close();
    expect((await find('berita/satu', source)).s).toMatchObject({ target: 'The cat sleeps on the table.', flags: [] });
  });

  it('applies an edit to every file with the same source sentence, and says how many before', async () => {
    const source = 'Berita ini dibagikan ke semua kantor.';
    expect((await find('berita/satu', source)).s.shared).toEqual({ sentences: 2, files: 2 });
    const r = await saveSentence('berita/dua', source, 'This news goes to every office.');
    expect(r.status, r.body).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ files: ['berita/dua', 'berita/satu'], sentences: 2 });
    for (const name of ['berita/satu', 'berita/dua']) {
      expect((await find(name, source)).s.target).toBe('This news goes to every office.');
      expect(readFileSync(join(out, `${name}.en.txt`), 'utf8')).toContain('This news goes to every office.');
    }
  });

  it('two saves of one sentence at once: one kept, the other refused with 409 and the current text; files well-formed', async () => {
    const source = 'Pasar buka lebih awal hari ini.';
    const { b, s } = await find('berita/dua', source);
    const body = (target: string) => ({ name: 'berita/dua', block: b, segment: s.s, source, base: s.target, target });
    const [r1, r2] = await Promise.all([save(body('The market opens early today.')), save(body('Market opens earlier today.'))]);
    const statuses = [r1.status, r2.status].sort();
    expect(statuses).toEqual([200, 409]);
    const won = JSON.parse((r1.status === 200 ? r1 : r2).body) as { target: string };
    const lost = JSON.parse((r1.status === 409 ? r1 : r2).body) as { error: string; current: string };
    expect(lost.current).toBe(won.target);
    expect(lost.error).toMatch(/changed meanwhile/);
    const json = JSON.parse(readFileSync(join(out, 'berita/dua.id-en.json'), 'utf8')) as { blocks: Array<{ segments: Array<{ source: string; target: string }> }> };
    expect(json.blocks.flatMap((x) => x.segments).find((x) => x.source === source)?.target).toBe(won.target);
    parseXml(readFileSync(join(out, 'berita/dua.id-en.tmx'), 'utf8'));
  });

  it('two saves of different sentences of one file at once: both kept', async () => {
    const a = await find('panduan', 'Buka terminal sekarang.');
    const c = await find('panduan', 'Ketik perintah itu.');
    const [r1, r2] = await Promise.all([
      save({ name: 'panduan', block: a.b, segment: a.s.s, source: a.s.source, base: a.s.target, target: 'Open a terminal now.' }),
      save({ name: 'panduan', block: c.b, segment: c.s.s, source: c.s.source, base: c.s.target, target: 'Type that command.' }),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const md = readFileSync(join(out, 'panduan.en.md'), 'utf8');
    expect(md).toContain('- Open a terminal now.\n- Type that command.');
    const json = JSON.parse(readFileSync(join(out, 'panduan.id-en.json'), 'utf8')) as { blocks: Array<{ segments: Array<{ target: string }> }> };
    expect(json.blocks.flatMap((x) => x.segments).map((x) => x.target)).toEqual(expect.arrayContaining(['Open a terminal now.', 'Type that command.']));
    parseXml(readFileSync(join(out, 'panduan.id-en.tmx'), 'utf8'));
  });

  it('refuses a save for a sentence that is no longer where the page saw it (a run rewrote the file)', async () => {
    const before = snapshot(out);
    const { b, s } = await find('berita/satu', 'Hujan turun sepanjang hari di kota.');
    const r = await save({ name: 'berita/satu', block: b, segment: s.s, source: 'Hujan turun kemarin.', base: s.target, target: 'It rained yesterday.' });
    expect(r.status).toBe(409);
    expect(JSON.parse(r.body)).toMatchObject({ reason: 'moved' });
    expect(JSON.parse(r.body).error).toMatch(/changed since the page showed it.*reload/);
    expect((await save({ name: 'berita/satu', block: b + 50, segment: 0, source: s.source, base: s.target, target: 'x' })).status).toBe(409);
    expect(snapshot(out)).toEqual(before);
  });

  it('refuses a save while a translate run holds the folder, changing nothing', async () => {
    const lock = await acquireLock(out, { handleSignals: false });
    const before = snapshot(out);
    try {
      const r = await saveSentence('berita/satu', 'Hujan turun sepanjang hari di kota.', 'It rained all day in the city.');
      expect(r.status).toBe(409);
      expect(JSON.parse(r.body)).toMatchObject({ reason: 'locked' });
      expect(JSON.parse(r.body).error).toMatch(/another dwibahasa run .* is using/);
    } finally {
      await lock.release();
    }
    expect(snapshot(out)).toEqual(before);
    const mem = TranslationMemory.open(memoryFile);
    expect(mem.getHuman(['Hujan turun sepanjang hari di kota.']).size).toBe(0);
    mem.close();
  });
});
