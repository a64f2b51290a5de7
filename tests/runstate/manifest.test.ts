import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStateError } from '../../src/errors.js';
import {
  isUpToDate,
  outputsExist,
  RunManifest,
  type ManifestFileEntry,
  type ManifestModel,
} from '../../src/runstate/manifest.js';

let out: string;
beforeEach(() => {
  out = mkdtempSync(path.join(tmpdir(), 'dwb-manifest-'));
});
afterEach(() => {
  rmSync(out, { recursive: true, force: true });
});

const model: ManifestModel = { id: 'Xenova/opus-mt-id-en', hash: 'abc123', dtype: 'q8', decoding: { beams: 1 } };
const settings = { formats: ['md', 'json'], batchSize: 16 };
const manifestPath = (): string => path.join(out, '.dwibahasa', 'run.json');

const entry = (over: Partial<ManifestFileEntry> = {}): ManifestFileEntry => ({
  input: '/in/news/a.md',
  inputSha256: 'aa11',
  status: 'done',
  outputs: ['news/a.md', 'news/a.json'],
  ms: 1234,
  segments: 42,
  modelKey: 'mk1',
  formats: ['md', 'json'],
  ...over,
});

describe('RunManifest', () => {
  it('starts empty without a warning when there is no manifest yet', async () => {
    const { manifest, warning } = await RunManifest.load(out, { model, settings });
    expect(warning).toBeUndefined();
    expect(manifest.get('news/a')).toBeUndefined();
    expect(manifest.snapshot().files).toEqual({});
  });

  it('round-trips entries through run.json and keeps earlier entries on the next run', async () => {
    const first = (await RunManifest.load(out, { model, settings })).manifest;
    first.update('news/b', entry({ input: '/in/news/b.md', status: 'failed', failures: ['line 3: model error'] }));
    first.update('news/a', entry());
    first.update('berita/ü', entry({ input: '/in/berita/ü.txt', formats: ['txt'], outputs: ['berita/ü.txt'] }));
    await first.finish();

    const saved = JSON.parse(readFileSync(manifestPath(), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ version: 1, model, settings });
    expect(typeof saved.startedAt).toBe('string');
    expect(typeof saved.finishedAt).toBe('string');
    // Stable key order, whatever the order of completion.
    expect(Object.keys(saved.files as object)).toEqual(['berita/ü', 'news/a', 'news/b']);

    const { manifest: second, warning } = await RunManifest.load(out, { model, settings: { other: true } });
    expect(warning).toBeUndefined();
    expect(second.get('news/a')).toEqual(entry());
    expect(second.get('news/b')).toMatchObject({ status: 'failed', failures: ['line 3: model error'] });
    second.markSkipped('news/a');
    await second.flush();
    const again = JSON.parse(readFileSync(manifestPath(), 'utf8')) as { files: Record<string, ManifestFileEntry>; finishedAt?: string; settings: unknown };
    expect(again.files['news/a']).toEqual({ ...entry(), status: 'skipped', ms: 0 });
    expect(again.files['berita/ü']?.formats).toEqual(['txt']);
    expect(again.settings).toEqual({ other: true });
    // Not finished yet: no end time.
    expect(again.finishedAt).toBeUndefined();
  });

  it('saves on its own after updates, without finish()', async () => {
    const { manifest } = await RunManifest.load(out, { model, settings, saveIntervalMs: 10 });
    manifest.update('a', entry());
    let saved = '';
    for (let i = 0; i < 200 && !saved.includes('"a"'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        saved = readFileSync(manifestPath(), 'utf8');
      } catch {
        // not written yet
      }
    }
    expect(JSON.parse(saved)).toMatchObject({ files: { a: { inputSha256: 'aa11' } } });
    // No temp files are left behind.
    await manifest.finish();
    expect(readdirSync(path.dirname(manifestPath()))).toEqual(['run.json']);
  });

  it('tolerates a corrupt manifest: starts empty, warns, keeps the bad file aside', async () => {
    mkdirSync(path.dirname(manifestPath()), { recursive: true });
    writeFileSync(manifestPath(), '{"version": 1, "files": {"a": ');
    const { manifest, warning } = await RunManifest.load(out, { model, settings });
    expect(warning).toMatch(/run manifest .*run\.json is unusable/);
    expect(warning).toMatch(/kept as .*run\.json\.bad-/);
    expect(manifest.get('a')).toBeUndefined();
    const names = readdirSync(path.dirname(manifestPath()));
    expect(names.filter((n) => n.startsWith('run.json.bad-'))).toHaveLength(1);
    await manifest.finish();
    expect(JSON.parse(readFileSync(manifestPath(), 'utf8'))).toMatchObject({ version: 1, files: {} });
  });

  it('refuses a manifest of another version and drops malformed entries with a warning', async () => {
    mkdirSync(path.dirname(manifestPath()), { recursive: true });
    writeFileSync(manifestPath(), JSON.stringify({ version: 7, files: {} }));
    expect((await RunManifest.load(out, { model, settings })).warning).toMatch(/version 7, expected 1/);

    writeFileSync(
      manifestPath(),
      JSON.stringify({ version: 1, files: { good: entry(), bad: { input: 3 }, badFormat: entry({ formats: ['pdf' as 'md'] }) } }),
    );
    const { manifest, warning } = await RunManifest.load(out, { model, settings });
    expect(warning).toMatch(/2 malformed file entries ignored/);
    expect(manifest.get('good')).toEqual(entry());
    expect(manifest.get('bad')).toBeUndefined();
  });
});

describe('RunManifest save failures', () => {
  it('reports a failed save from finish() as RunStateError naming the file', async () => {
    const { manifest } = await RunManifest.load(out, { model, settings });
    // The state folder's place is taken by a plain file: nothing can be written under it.
    writeFileSync(path.join(out, '.dwibahasa'), 'not a folder');
    manifest.update('a', entry());
    const err = await manifest.finish().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RunStateError);
    expect((err as RunStateError).message).toMatch(/cannot save run manifest .*run\.json/);
    expect((err as RunStateError).path).toBe(manifestPath());
  });
});

describe('isUpToDate', () => {
  const e = entry();
  it('is true only when hash, model key, formats match and outputs exist', () => {
    expect(isUpToDate(e, 'aa11', 'mk1', ['json', 'md'], true)).toBe(true);
    expect(isUpToDate({ ...e, status: 'skipped' }, 'aa11', 'mk1', ['md', 'json'], true)).toBe(true);
    expect(isUpToDate(undefined, 'aa11', 'mk1', ['md', 'json'], true)).toBe(false);
    expect(isUpToDate(e, 'bb22', 'mk1', ['md', 'json'], true)).toBe(false);
    expect(isUpToDate(e, 'aa11', 'mk2', ['md', 'json'], true)).toBe(false);
    expect(isUpToDate(e, 'aa11', 'mk1', ['md'], true)).toBe(false);
    expect(isUpToDate(e, 'aa11', 'mk1', ['md', 'json', 'html'], true)).toBe(false);
    expect(isUpToDate(e, 'aa11', 'mk1', ['md', 'json'], false)).toBe(false);
  });

  it('is false for failed files and files with failures', () => {
    expect(isUpToDate({ ...e, status: 'failed' }, 'aa11', 'mk1', ['md', 'json'], true)).toBe(false);
    expect(isUpToDate({ ...e, failures: ['segment 4: timeout'] }, 'aa11', 'mk1', ['md', 'json'], true)).toBe(false);
  });

  it('asks the outputs check about the recorded outputs', async () => {
    const seen: string[][] = [];
    expect(
      isUpToDate(e, 'aa11', 'mk1', ['md', 'json'], (outs) => {
        seen.push([...outs]);
        return true;
      }),
    ).toBe(true);
    expect(seen).toEqual([['news/a.md', 'news/a.json']]);

    mkdirSync(path.join(out, 'news'), { recursive: true });
    writeFileSync(path.join(out, 'news', 'a.md'), '');
    expect(await outputsExist(out, e.outputs)).toBe(false);
    writeFileSync(path.join(out, 'news', 'a.json'), '');
    expect(await outputsExist(out, e.outputs)).toBe(true);
  });
});
