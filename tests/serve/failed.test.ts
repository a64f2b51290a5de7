/** A sentence the model failed on can be given its English on the page; every output then has it. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { openRunManifest } from '../../src/pipeline/manifest-adapter.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { startReviewServer, type ReviewServer } from '../../src/serve/server.js';
import { OUTPUT_FORMATS } from '../../src/types.js';
import { findAll, parseXml } from '../write/xml-check.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { http } from './helpers.js';

let server: ReviewServer | undefined;
const dirs: string[] = [];
afterAll(async () => {
  await server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('saving the English of a failed sentence', () => {
  it('clears the failure in the JSON, adds the pair to the TMX and puts the English in the text', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-fail-in-'));
    const out = mkdtempSync(join(tmpdir(), 'dwb-fail-out-'));
    dirs.push(input, out);
    writeFileSync(join(input, 'a.txt'), 'Judul\n\nKalimat baik ini. Kalimat gagal itu.\n');
    const engine = new FakeEngine({ failOn: /gagal/ });
    const config = defaultConfig();
    const manifest = await openRunManifest(out, { modelKey: 'k', info: engine.info, config, force: false });
    await runPipeline({ inputs: [input], outDir: out, config, engine, formats: OUTPUT_FORMATS, events: { onFileDone: (o) => manifest.record(o) } });
    await manifest.finish();
    const before = JSON.parse(readFileSync(join(out, 'a.id-en.json'), 'utf8')) as { blocks: Array<{ segments: Array<{ source: string; target: string; error?: string }> }> };
    const b = before.blocks.findIndex((x) => x.segments.some((s) => s.error !== undefined));
    const s = before.blocks[b]!.segments.findIndex((x) => x.error !== undefined);
    expect(before.blocks[b]!.segments[s]!.source).toBe('Kalimat gagal itu.');
    expect(readFileSync(join(out, 'a.en.txt'), 'utf8')).toContain('Kalimat gagal itu.');

    server = await startReviewServer({ outDir: out, memoryFile: join(out, '.dwibahasa', 'memory.sqlite') });
    const r = await http(server.port, {
      method: 'POST', path: '/api/save',
      headers: { authorization: `token ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'a', block: b, segment: s, source: 'Kalimat gagal itu.', base: '', target: 'That sentence failed.' }),
    });
    expect(r.status, r.body).toBe(200);
    const after = JSON.parse(readFileSync(join(out, 'a.id-en.json'), 'utf8')) as typeof before;
    expect(after.blocks[b]!.segments[s]).toMatchObject({ source: 'Kalimat gagal itu.', target: 'That sentence failed.' });
    expect(after.blocks[b]!.segments[s]!.error).toBeUndefined();
    expect(readFileSync(join(out, 'a.en.txt'), 'utf8')).toContain('ini. baik Kalimat That sentence failed.');
    const tus = findAll(parseXml(readFileSync(join(out, 'a.id-en.tmx'), 'utf8')), 'tu').map((tu) => findAll(tu, 'seg').map((x) => x.text));
    expect(tus).toContainEqual(['Kalimat gagal itu.', 'That sentence failed.']);
  });
});
