/** The q8 files are a real dynamic-int8 quantization of the same weights: close to fp32, not equal. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateTestModel } from '../../testmodel/generate.js';
import { int64, makeTempDir, pearson, readConfig, removeDir, runDecoder } from './helpers.js';

let dir: string | undefined;

beforeAll(async () => {
  dir = await makeTempDir('testmodel-q8');
  await generateTestModel({ preset: 'tiny', outDir: dir, dtype: 'both', seed: 11 });
});

afterAll(async () => {
  await removeDir(dir);
});

async function logitsFor(suffix: string): Promise<Float32Array> {
  const cfg = await readConfig(dir!);
  const encoder = await ort.InferenceSession.create(join(dir!, 'onnx', `encoder_model${suffix}.onnx`));
  const decoder = await ort.InferenceSession.create(join(dir!, 'onnx', `decoder_model_merged${suffix}.onnx`));
  try {
    const src = [[40, 7, 19, 230, 66, 0]];
    const mask = int64([[1, 1, 1, 1, 1, 1]]);
    const enc = await encoder.run({ input_ids: int64(src), attention_mask: mask });
    const out = await runDecoder(decoder, cfg, mask, enc.last_hidden_state!, int64([[cfg.pad_token_id, 5, 88, 301]]), undefined);
    return out.logits.data as Float32Array;
  } finally {
    await encoder.release();
    await decoder.release();
  }
}

it('q8 logits correlate strongly with fp32 logits but are not identical', async () => {
  const fp32 = await logitsFor('');
  const q8 = await logitsFor('_quantized');
  expect(q8.length).toBe(fp32.length);
  expect(pearson(fp32, q8)).toBeGreaterThan(0.9);
  expect(Array.from(q8).some((v, i) => v !== fp32[i])).toBe(true);
});

it('q8 graphs use integer matmuls and int8 weights, as quantize_dynamic writes them', async () => {
  for (const f of ['encoder_model_quantized.onnx', 'decoder_model_merged_quantized.onnx']) {
    const bytes = await readFile(join(dir!, 'onnx', f));
    const text = bytes.toString('latin1');
    expect(text, f).toContain('DynamicQuantizeLinear');
    expect(text, f).toContain('MatMulInteger');
    // Every projection weight is stored quantized ("...weight_quantized" plus scale and zero
    // point); a bare float "...weight" initializer would mean a MatMul was left unquantized.
    expect(text, f).toMatch(/q_proj\.weight_quantized/);
    expect(text, f).not.toMatch(/_proj\.weight(?!_)/);
    expect(text, f).not.toMatch(/fc[12]\.weight(?!_)/);
  }
});
