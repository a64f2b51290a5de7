import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, FetchError } from '../../src/errors.js';
import { fetchModel, isHubReachable, resolveEndpoint, type FetchProgress } from '../../src/model/fetch.js';
import { startFakeHub, seededBytes, type FakeHub } from './fake-hub.js';

const MODEL = 'Xenova/opus-mt-id-en';
const ENC = 'onnx/encoder_model_quantized.onnx';
const DEC = 'onnx/decoder_model_merged_quantized.onnx';
const MiB = 1024 * 1024;

function hubFiles(): Record<string, Buffer> {
  return {
    'config.json': Buffer.from(JSON.stringify({ model_type: 'marian', d_model: 512 })),
    'generation_config.json': Buffer.from('{"num_beams":4}'),
    'tokenizer.json': seededBytes(200_000, 1),
    'tokenizer_config.json': Buffer.from('{"model_max_length":512}'),
    [ENC]: seededBytes(3 * MiB + 123, 2),
    [DEC]: seededBytes(2 * MiB + 7, 3),
    'onnx/encoder_model.onnx': seededBytes(MiB + 5, 4),
    'onnx/decoder_model_merged.onnx': seededBytes(MiB + 9, 5),
  };
}

/** Every file under dir, relative, POSIX. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

let hub: FakeHub;
let dest: string;

beforeEach(async () => {
  hub = await startFakeHub(MODEL, hubFiles());
  dest = await mkdtemp(path.join(os.tmpdir(), 'dwb-fetch-'));
});
afterEach(async () => {
  await hub.close();
  await rm(dest, { recursive: true, force: true });
});

const base = () => ({ modelId: MODEL, destDir: dest, endpoint: hub.endpoint, retryDelayMs: 0 });

describe('fetchModel', () => {
  it('downloads the q8 files byte for byte and leaves no partial files', async () => {
    const seen: FetchProgress[] = [];
    const result = await fetchModel({ ...base(), dtype: 'q8', onProgress: (p) => seen.push(p) });

    const expected = ['config.json', 'generation_config.json', DEC, ENC, 'tokenizer.json', 'tokenizer_config.json'];
    expect(await tree(dest)).toEqual(expected.sort());
    for (const f of expected) expect((await readFile(path.join(dest, f))).equals(hub.files.get(f)!)).toBe(true);
    expect(result.files.every((f) => f.status === 'downloaded')).toBe(true);
    expect(result.bytesDownloaded).toBe(expected.reduce((s, f) => s + hub.files.get(f)!.length, 0));
    const encDone = seen.find((p) => p.file === ENC && p.state === 'done');
    expect(encDone).toMatchObject({ bytes: 3 * MiB + 123, total: 3 * MiB + 123, fileCount: 6 });
  });

  it('fetches both dtypes: four JSON files and four ONNX files', async () => {
    await fetchModel({ ...base(), dtype: 'both' });
    expect((await tree(dest)).filter((f) => f.endsWith('.onnx'))).toHaveLength(4);
    expect((await tree(dest)).filter((f) => f.endsWith('.json'))).toHaveLength(4);
  });

  it('skips files already complete without downloading them again', async () => {
    await fetchModel({ ...base(), dtype: 'q8' });
    hub.requests.length = 0;
    const again = await fetchModel({ ...base(), dtype: 'q8' });
    expect(again.files.map((f) => f.status)).toEqual(Array(6).fill('skipped'));
    expect(hub.requests.filter((r) => r.method === 'GET')).toEqual([]);
    expect(again.bytesDownloaded).toBe(0);
  });

  it('keeps the .part after a cut, names it in the error, and resumes with a Range request', async () => {
    hub.cutAfter.set(ENC, MiB + 1000);
    const err = await fetchModel({ ...base(), dtype: 'q8', retries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).message).toContain(ENC);
    expect((err as FetchError).message).toMatch(/\.part.*resume/);

    // Nothing half-written under a final name; the part is there with some of the bytes.
    expect(existsSync(path.join(dest, ENC))).toBe(false);
    const partSize = (await stat(path.join(dest, `${ENC}.part`))).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThanOrEqual(MiB + 1000);

    const result = await fetchModel({ ...base(), dtype: 'q8', retries: 0 });
    const encRequests = hub.requestsFor(ENC);
    expect(encRequests).toHaveLength(2);
    expect(encRequests[1]!.range).toBe(`bytes=${partSize}-`);
    expect((await readFile(path.join(dest, ENC))).equals(hub.files.get(ENC)!)).toBe(true);
    expect(result.files.find((f) => f.file === ENC)?.status).toBe('resumed');
    // Only what was missing came over the network for the encoder.
    const rest = hub.files.get(ENC)!.length - partSize + hub.files.get(DEC)!.length;
    expect(result.bytesDownloaded).toBe(rest);
    expect(await tree(dest)).not.toContain(`${ENC}.part`);
  });

  it('retries a cut file by itself, resuming the part', async () => {
    hub.cutAfter.set(DEC, 500_000);
    await fetchModel({ ...base(), dtype: 'q8', retries: 1 });
    const decRequests = hub.requestsFor(DEC);
    expect(decRequests).toHaveLength(2);
    expect(decRequests[1]!.range).toMatch(/^bytes=\d+-$/);
    expect((await readFile(path.join(dest, DEC))).equals(hub.files.get(DEC)!)).toBe(true);
  });

  it('gives up on a connection that stalls, keeping the part', async () => {
    hub.stallAfter.set(ENC, 300_000);
    const err = await fetchModel({ ...base(), dtype: 'q8', retries: 0, idleTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).message).toContain('no data');
    expect(existsSync(path.join(dest, ENC))).toBe(false);
    expect((await stat(path.join(dest, `${ENC}.part`))).size).toBeGreaterThan(0);
  });

  it('stops when the caller aborts, keeping the part for a later resume', async () => {
    hub.stallAfter.set(ENC, 300_000);
    const ac = new AbortController();
    const run = fetchModel({
      ...base(),
      dtype: 'q8',
      signal: ac.signal,
      onProgress: (p) => {
        if (p.file === ENC && p.bytes > 0) ac.abort();
      },
    });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).message).toMatch(/interrupted.*resume/);
    expect(existsSync(path.join(dest, ENC))).toBe(false);
    expect(hub.requestsFor(ENC)).toHaveLength(1); // an abort is not retried
  });

  it('starts over when the server ignores the Range request (200)', async () => {
    hub.cutAfter.set(ENC, 700_000);
    await fetchModel({ ...base(), dtype: 'q8', retries: 0 }).catch(() => undefined);
    hub.ignoreRange = true;
    const result = await fetchModel({ ...base(), dtype: 'q8', retries: 0 });
    expect(result.files.find((f) => f.file === ENC)?.status).toBe('downloaded');
    expect(hub.requestsFor(ENC)[1]!.range).toBeDefined();
    expect((await readFile(path.join(dest, ENC))).equals(hub.files.get(ENC)!)).toBe(true);
  });

  it('starts over when the file changed on the hub since the part was written', async () => {
    hub.cutAfter.set(ENC, 700_000);
    await fetchModel({ ...base(), dtype: 'q8', retries: 0 }).catch(() => undefined);
    const changed = seededBytes(3 * MiB + 123, 99);
    hub.files.set(ENC, changed);
    await fetchModel({ ...base(), dtype: 'q8', retries: 0 });
    expect(hub.requestsFor(ENC)[1]!.ifRange).toBeDefined();
    expect((await readFile(path.join(dest, ENC))).equals(changed)).toBe(true);
  });

  it('starts over when a stale part is longer than the file (416)', async () => {
    await mkdir(path.join(dest, 'onnx'), { recursive: true });
    await writeFile(path.join(dest, `${DEC}.part`), seededBytes(3 * MiB, 7));
    await fetchModel({ ...base(), dtype: 'q8', retries: 0 });
    expect((await readFile(path.join(dest, DEC))).equals(hub.files.get(DEC)!)).toBe(true);
  });

  it('names the missing file and its URL on a 404, after fetching the files before it', async () => {
    hub.notFound.add('tokenizer.json');
    const err = await fetchModel({ ...base(), dtype: 'q8' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    const msg = (err as FetchError).message;
    expect(msg).toContain('tokenizer.json not found on the hub');
    expect(msg).toContain(`${hub.endpoint}/${MODEL}/resolve/main/tokenizer.json`);
    expect(msg).toContain('model id');
    expect((err as FetchError).url).toBe(`${hub.endpoint}/${MODEL}/resolve/main/tokenizer.json`);
    // A 404 is not retried.
    expect(hub.requestsFor('tokenizer.json')).toHaveLength(1);
    expect(await tree(dest)).toEqual(['config.json', 'generation_config.json']);
  });

  it('uses the revision in the URL', async () => {
    const err = await fetchModel({ ...base(), dtype: 'q8', revision: 'v2' }).catch((e: unknown) => e);
    expect((err as FetchError).url).toBe(`${hub.endpoint}/${MODEL}/resolve/v2/config.json`);
  });

  it('rejects model ids that could leave the hub path', async () => {
    for (const id of ['../etc', 'a/../../b', '/abs/id', 'a/b/c']) {
      await expect(fetchModel({ ...base(), modelId: id, dtype: 'q8' })).rejects.toBeInstanceOf(ConfigError);
    }
    expect(hub.requests).toEqual([]);
  });

  it('reports an unreachable hub as a FetchError', async () => {
    await hub.close();
    const err = await fetchModel({ ...base(), dtype: 'q8', retries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).message).toContain('cannot reach');
  });

  it('leaves no empty model folder behind when the fetch fails before any file arrives', async () => {
    await hub.close();
    const destDir = path.join(dest, 'models', 'Xenova', 'opus-mt-id-en');
    await expect(fetchModel({ ...base(), destDir, dtype: 'q8', retries: 0 })).rejects.toBeInstanceOf(FetchError);
    // Everything the fetch created is gone; the folder that was there before stays.
    expect(existsSync(path.join(dest, 'models'))).toBe(false);
    expect(existsSync(dest)).toBe(true);
  });

  it('keeps the folder when it holds what a later fetch resumes or reuses', async () => {
    hub.notFound.add('tokenizer.json');
    const destDir = path.join(dest, 'm');
    await expect(fetchModel({ ...base(), destDir, dtype: 'q8' })).rejects.toBeInstanceOf(FetchError);
    expect(await tree(destDir)).toEqual(['config.json', 'generation_config.json']);
  });
});

describe('resolveEndpoint', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('prefers an explicit config value, then HF_ENDPOINT, then huggingface.co', () => {
    vi.stubEnv('HF_ENDPOINT', 'https://hf-mirror.example/');
    expect(resolveEndpoint('http://local:8080/')).toBe('http://local:8080');
    expect(resolveEndpoint('')).toBe('https://hf-mirror.example');
    expect(resolveEndpoint(undefined)).toBe('https://hf-mirror.example');
    vi.stubEnv('HF_ENDPOINT', '');
    expect(resolveEndpoint('')).toBe('https://huggingface.co');
  });
});

describe('isHubReachable', () => {
  it('is true when the hub answers and false when nothing listens', async () => {
    expect(await isHubReachable(hub.endpoint, 2000, { modelId: MODEL })).toBe(true);
    expect(hub.requests.at(-1)).toMatchObject({ method: 'HEAD', path: `/${MODEL}/resolve/main/config.json` });
    const endpoint = hub.endpoint;
    await hub.close();
    expect(await isHubReachable(endpoint, 2000)).toBe(false);
  });
});
