import { mkdir, mkdtemp, rm, writeFile, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { requiredFiles } from '../../src/model/files.js';
import { formatModelInfo, hashModelFiles, modelInfo } from '../../src/model/info.js';
import { seededBytes } from './fake-hub.js';

const MiB = 1024 * 1024;
let root: string;

async function put(rel: string, content: string | Buffer): Promise<void> {
  const p = path.join(root, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, content);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dwb-info-'));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('modelInfo', () => {
  beforeEach(async () => {
    // A real-looking q8 model with a cut fp32 download.
    const m = 'Xenova/opus-mt-id-en';
    await put(`${m}/config.json`, JSON.stringify({ model_type: 'marian' }));
    for (const f of requiredFiles('q8').slice(1)) await put(`${m}/${f}`, seededBytes(f.endsWith('.onnx') ? MiB : 2048, 1));
    await put(`${m}/onnx/encoder_model.onnx.part`, 'partial');
    // A generated test model, complete for fp32, one level deep.
    await put('tiny/config.json', JSON.stringify({ model_type: 'marian', dwibahasa_test_model: { seed: 1 } }));
    for (const f of requiredFiles('fp32').slice(1)) await put(`tiny/${f}`, 'xy');
    // Too deep to be listed, and a stray file.
    await put('a/b/c/d/config.json', '{}');
    await put('README.md', 'models live here');
  });

  it('lists every model folder with its files, complete dtypes and kind', async () => {
    const models = await modelInfo(root);
    expect(models.map((m) => m.id)).toEqual(['Xenova/opus-mt-id-en', 'tiny']);

    const [opus, tiny] = models;
    expect(opus!.complete).toEqual(['q8']);
    expect(opus!.testModel).toBe(false);
    expect(opus!.modelType).toBe('marian');
    expect(opus!.partial).toEqual(['onnx/encoder_model.onnx.part']);
    expect(opus!.files.find((f) => f.name === 'onnx/encoder_model_quantized.onnx')?.bytes).toBe(MiB);
    expect(opus!.files).toHaveLength(7);
    expect(opus!.dir).toBe(path.join(root, 'Xenova', 'opus-mt-id-en'));

    expect(tiny!.complete).toEqual(['fp32']);
    expect(tiny!.testModel).toBe(true);
  });

  it('returns nothing for a missing models folder', async () => {
    expect(await modelInfo(path.join(root, 'absent'))).toEqual([]);
  });

  it('formats a readable listing with human sizes', async () => {
    const text = formatModelInfo(await modelInfo(root));
    expect(text).toContain('Xenova/opus-mt-id-en');
    expect(text).toContain('complete: q8');
    expect(text).toMatch(/onnx\/encoder_model_quantized\.onnx\s+1\.0 MiB/);
    expect(text).toMatch(/tokenizer\.json\s+2\.0 KiB/);
    expect(text).toMatch(/config\.json\s+\d+ B/);
    expect(text).toContain('TEST MODEL');
    expect(text).toContain('partial downloads: 1');
    // The real model's header does not carry the test-model warning.
    const opusHeader = text.split('\n').find((l) => l.startsWith('Xenova/opus-mt-id-en'));
    expect(opusHeader).not.toContain('TEST MODEL');
  });

  it('says how to get a model when there is none', () => {
    expect(formatModelInfo([], 'models')).toContain('npx dwibahasa model fetch Xenova/opus-mt-id-en');
  });
});

describe('hashModelFiles', () => {
  const dir = () => path.join(root, 'm');
  beforeEach(async () => {
    await put('m/config.json', JSON.stringify({ model_type: 'marian' }));
    await put('m/generation_config.json', '{}');
    await put('m/tokenizer.json', seededBytes(5000, 2));
    await put('m/tokenizer_config.json', '{}');
    await put('m/onnx/encoder_model_quantized.onnx', seededBytes(5 * MiB, 3));
    await put('m/onnx/decoder_model_merged_quantized.onnx', seededBytes(100_000, 4));
  });

  async function flipByte(rel: string, at: number): Promise<void> {
    const fh = await open(path.join(root, rel), 'r+');
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, at);
    b[0] = b[0]! ^ 0xff;
    await fh.write(b, 0, 1, at);
    await fh.close();
  }

  it('is 16 hex digits and the same for the same files', async () => {
    const h = await hashModelFiles(dir(), 'q8');
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(await hashModelFiles(dir(), 'q8')).toBe(h);
  });

  it('changes with the JSON contents, the ONNX head and tail, and sizes', async () => {
    const seen = new Set([await hashModelFiles(dir(), 'q8')]);
    await put('m/generation_config.json', '{"num_beams":4}');
    seen.add(await hashModelFiles(dir(), 'q8'));
    await flipByte('m/tokenizer.json', 4000);
    seen.add(await hashModelFiles(dir(), 'q8'));
    await flipByte('m/onnx/encoder_model_quantized.onnx', 10);
    seen.add(await hashModelFiles(dir(), 'q8'));
    await flipByte('m/onnx/encoder_model_quantized.onnx', 5 * MiB - 10);
    seen.add(await hashModelFiles(dir(), 'q8'));
    await flipByte('m/onnx/decoder_model_merged_quantized.onnx', 50_000); // small file: hashed whole
    seen.add(await hashModelFiles(dir(), 'q8'));
    await put('m/onnx/encoder_model_quantized.onnx', seededBytes(5 * MiB + 1, 3));
    seen.add(await hashModelFiles(dir(), 'q8'));
    expect(seen.size).toBe(7);
  });

  it('throws a ModelError naming a missing file', async () => {
    await expect(hashModelFiles(dir(), 'fp32')).rejects.toThrow(ModelError);
    await expect(hashModelFiles(dir(), 'fp32')).rejects.toThrow(/encoder_model\.onnx/);
  });
});
