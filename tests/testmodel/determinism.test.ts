/** The seed fully determines the files: same seed, same bytes; other seed, other weights. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateTestModel, TEST_MODEL_VERSION } from '../../testmodel/generate.js';
import { makeTempDir, removeDir } from './helpers.js';

let root: string | undefined;

beforeAll(async () => {
  root = await makeTempDir('testmodel-seed');
  await generateTestModel({ preset: 'tiny', outDir: join(root, 'a'), seed: 5 });
  await generateTestModel({ preset: 'tiny', outDir: join(root, 'b'), seed: 5 });
  await generateTestModel({ preset: 'tiny', outDir: join(root, 'c'), seed: 6 });
});

afterAll(async () => {
  await removeDir(root);
});

async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of await readdir(dir, { recursive: true })) {
    if (name.endsWith('.json') || name.endsWith('.onnx')) out.set(name, await readFile(join(dir, name)));
  }
  return out;
}

it('writes byte-identical files for the same seed', async () => {
  const a = await files(join(root!, 'a'));
  const b = await files(join(root!, 'b'));
  expect([...a.keys()].sort()).toEqual([
    'config.json',
    'generation_config.json',
    join('onnx', 'decoder_model_merged.onnx'),
    join('onnx', 'decoder_model_merged_quantized.onnx'),
    join('onnx', 'encoder_model.onnx'),
    join('onnx', 'encoder_model_quantized.onnx'),
    'tokenizer.json',
    'tokenizer_config.json',
  ]);
  for (const [name, bytes] of a) expect(bytes.equals(b.get(name)!), name).toBe(true);
});

it('writes different weights for a different seed, with the same tokenizer', async () => {
  const a = await files(join(root!, 'a'));
  const c = await files(join(root!, 'c'));
  for (const name of a.keys()) {
    if (name.endsWith('.onnx')) {
      expect(a.get(name)!.equals(c.get(name)!), name).toBe(false);
      expect(a.get(name)!.length, name).toBe(c.get(name)!.length); // same graph, other numbers
    }
  }
  expect(a.get('tokenizer.json')!.equals(c.get('tokenizer.json')!)).toBe(true);
  const cfg = JSON.parse(c.get('config.json')!.toString('utf8')) as { dwibahasa_test_model: unknown };
  expect(cfg.dwibahasa_test_model).toEqual({ version: TEST_MODEL_VERSION, preset: 'tiny', seed: 6, eos_at_input_length: false });
});
