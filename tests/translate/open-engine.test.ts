/**
 * From config to a running engine: a missing model is fetched first when the hub is reachable
 * (model.download: auto), and otherwise the run stops with one clear message.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { ModelError } from '../../src/errors.js';
import { openEngine } from '../../src/translate/open-engine.js';
import { startFakeHub, type FakeHub } from '../model/fake-hub.js';
import { makeTinyModel } from '../helpers/tiny-model.js';

let hub: FakeHub;

function filesOf(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  hub = await startFakeHub('test-org/tiny-id-en', filesOf(await makeTinyModel()));
});

afterAll(async () => {
  await hub?.close();
});

function config(endpoint: string, download: 'auto' | 'never') {
  const c = defaultConfig();
  c.model.id = 'test-org/tiny-id-en';
  c.model.endpoint = endpoint;
  c.model.download = download;
  c.engine.workers = 1;
  return c;
}

describe('openEngine', () => {
  it('downloads a missing model from a reachable hub, then translates', async () => {
    const base = mkdtempSync(join(tmpdir(), 'dwb-open-'));
    const engine = await openEngine(config(hub.endpoint, 'auto'), { baseDir: base });
    try {
      expect(engine.info.id).toBe('test-org/tiny-id-en');
      expect((await engine.translate(['Selamat pagi.']))[0]!.text.length).toBeGreaterThan(0);
      expect(readdirSync(join(base, 'models', 'test-org', 'tiny-id-en', 'onnx')).sort()).toEqual([
        'decoder_model_merged_quantized.onnx',
        'encoder_model_quantized.onnx',
      ]);
    } finally {
      await engine.dispose();
    }
  });

  it('with download: never, stops with the folder, the files and the fetch command', async () => {
    const base = mkdtempSync(join(tmpdir(), 'dwb-open-'));
    const err = await openEngine(config(hub.endpoint, 'never'), { baseDir: base }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    const msg = (err as ModelError).message;
    expect(msg).toContain(join(base, 'models', 'test-org', 'tiny-id-en'));
    expect(msg).toContain('npx dwibahasa model fetch test-org/tiny-id-en --dtype q8');
  });

  it('says so when the hub cannot be reached', async () => {
    const base = mkdtempSync(join(tmpdir(), 'dwb-open-'));
    const err = await openEngine(config('http://127.0.0.1:9', 'auto'), { baseDir: base }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).message).toMatch(/not reachable/);
    expect((err as ModelError).message).toContain('model fetch');
  });
});

describe('openEngine with an installed model folder', () => {
  it('records the configured decoding under the config names, beams from generation_config, alike for one engine and a pool', async () => {
    const dir = await makeTinyModel();
    const generationBeams = (JSON.parse(readFileSync(join(dir, 'generation_config.json'), 'utf8')) as { num_beams: number }).num_beams;
    const c = config('http://127.0.0.1:9', 'never');
    c.model.id = dir;
    c.decoding = { beams: 0, length_penalty: 1.5, early_stopping: false, max_new_tokens_factor: 3, max_new_tokens_extra: 7, repetition_penalty: 1.2, no_repeat_ngram_size: 3 };
    const expected = { ...c.decoding, beams: generationBeams };
    for (const workers of [1, 2]) {
      c.engine.workers = workers;
      const engine = await openEngine(c, { baseDir: tmpdir() });
      try {
        expect(engine.workers ?? 1).toBe(workers);
        // Key order matters too: the memory key is built from this record.
        expect(JSON.stringify(engine.info.decoding)).toBe(JSON.stringify(expected));
        expect((await engine.translate(['Selamat pagi.']))[0]!.text.length).toBeGreaterThan(0);
      } finally {
        await engine.dispose();
      }
    }
  });
});
