/**
 * The merged decoder must give the same logits with its KV cache (one token per step, If branch
 * reusing cross-attention keys) as over the whole sequence at once, for a padded batch.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestModel } from '../../testmodel/generate.js';
import { int64, logitsRow, makeTempDir, readConfig, removeDir, runDecoder, type ModelConfig } from './helpers.js';

let dir: string | undefined;
let cfg: ModelConfig;
let encoder: ort.InferenceSession;
let decoder: ort.InferenceSession;

beforeAll(async () => {
  dir = await makeTempDir('testmodel-cache');
  await generateTestModel({ preset: 'tiny', outDir: dir, dtype: 'fp32', seed: 7 });
  cfg = await readConfig(dir);
  encoder = await ort.InferenceSession.create(join(dir, 'onnx', 'encoder_model.onnx'));
  decoder = await ort.InferenceSession.create(join(dir, 'onnx', 'decoder_model_merged.onnx'));
});

afterAll(async () => {
  await encoder?.release();
  await decoder?.release();
  await removeDir(dir);
});

describe('decoder_model_merged (fp32)', () => {
  it('declares H and head_dim as fixed numbers in the past key/value inputs', () => {
    const heads = cfg.decoder_attention_heads;
    const headDim = cfg.d_model / heads;
    const past = decoder.inputMetadata.filter((m) => m.name.startsWith('past_key_values.'));
    expect(past).toHaveLength(4 * cfg.decoder_layers);
    for (const m of past) {
      if (!m.isTensor) throw new Error(`${m.name} is not a tensor input`);
      expect(m.shape[0]).toBe('batch_size');
      expect(m.shape[1]).toBe(heads);
      expect(typeof m.shape[2]).toBe('string');
      expect(m.shape[3]).toBe(headDim);
    }
  });

  it('gives the same logits step by step with the cache as over the full sequence', async () => {
    const pad = cfg.pad_token_id;
    // Row 1 is padded: its padding must be masked out of cross-attention in both paths alike.
    const src = [
      [5, 17, 33, 8, 91, 0],
      [44, 12, 0, pad, pad, pad],
    ];
    const mask = int64(src.map((r) => r.map((t) => (t === pad ? 0 : 1))));
    const enc = await encoder.run({ input_ids: int64(src), attention_mask: mask });
    const hidden = enc.last_hidden_state!;
    const tgt = [
      [pad, 3, 250, 7, 7, 120],
      [pad, 99, 4, 300, 21, 2],
    ];
    const full = await runDecoder(decoder, cfg, mask, hidden, int64(tgt), undefined);
    expect(full.logits.dims).toEqual([2, tgt[0]!.length, cfg.vocab_size]);

    let past: Record<string, ort.Tensor> | undefined;
    for (let t = 0; t < tgt[0]!.length; t++) {
      const step = await runDecoder(decoder, cfg, mask, hidden, int64(tgt.map((r) => [r[t]!])), past);
      expect(step.logits.dims).toEqual([2, 1, cfg.vocab_size]);
      for (let b = 0; b < 2; b++) {
        const a = logitsRow(step.logits, b, 0);
        const e = logitsRow(full.logits, b, t);
        let maxDiff = 0;
        for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (e[i] as number)));
        expect(maxDiff, `step ${t}, row ${b}`).toBeLessThan(1e-4);
      }
      expect(step.presents['present.0.decoder.key']!.dims).toEqual([2, cfg.decoder_attention_heads, t + 1, cfg.d_model / cfg.decoder_attention_heads]);
      past = step.presents;
    }
  });

  it('returns empty cross-attention presents on cached steps, as optimum merges the decoder', async () => {
    const src = [[5, 17, 33, 0]];
    const mask = int64(src.map((r) => r.map(() => 1)));
    const enc = await encoder.run({ input_ids: int64(src), attention_mask: mask });
    const first = await runDecoder(decoder, cfg, mask, enc.last_hidden_state!, int64([[cfg.pad_token_id]]), undefined);
    const heads = cfg.decoder_attention_heads;
    expect(first.presents['present.0.encoder.key']!.dims).toEqual([1, heads, 4, cfg.d_model / heads]);
    const feeds: Record<string, ort.Tensor> = {
      encoder_attention_mask: mask,
      input_ids: int64([[3]]),
      encoder_hidden_states: enc.last_hidden_state!,
      use_cache_branch: new ort.Tensor('bool', Uint8Array.of(1), [1]),
    };
    for (const [name, t] of Object.entries(first.presents)) feeds[name.replace('present', 'past_key_values')] = t;
    const cached = await decoder.run(feeds);
    expect(cached['present.0.encoder.key']!.dims).toEqual([0, heads, 1, cfg.d_model / heads]);
    expect(cached['present.0.decoder.key']!.dims).toEqual([1, heads, 2, cfg.d_model / heads]);
  });

  it('lets the source sentence change the output (cross-attention is live)', async () => {
    const tgt = int64([[cfg.pad_token_id, 3, 250]]);
    const outs: Float32Array[] = [];
    for (const src of [[5, 17, 33, 0], [60, 2, 141, 0]]) {
      const mask = int64([src.map(() => 1)]);
      const enc = await encoder.run({ input_ids: int64([src]), attention_mask: mask });
      const step = await runDecoder(decoder, cfg, mask, enc.last_hidden_state!, tgt, undefined);
      outs.push(logitsRow(step.logits, 0, 2));
    }
    let maxDiff = 0;
    outs[0]!.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - (outs[1]![i] as number)))));
    expect(maxDiff).toBeGreaterThan(0.1);
  });
});
