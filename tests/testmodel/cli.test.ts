/** scripts/make-test-model.ts: option handling, and a very small vocabulary model that runs. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../scripts/make-test-model.js';
import { UsageError } from '../../src/errors.js';
import { TEST_MODEL_VERSION } from '../../testmodel/generate.js';
import { int64, makeTempDir, readConfig, removeDir, runDecoder } from './helpers.js';

let root: string | undefined;

beforeAll(async () => {
  root = await makeTempDir('testmodel-cli');
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await removeDir(root);
});

describe('make-test-model', () => {
  it('writes only the requested dtype, with the requested vocabulary size and seed', async () => {
    const out = join(root!, 'small');
    const code = await main(['--preset', 'tiny', '--out', out, '--dtype', 'fp32', '--vocab-size', '8', '--seed', '3', '--eos-at-input-length']);
    expect(code).toBe(0);
    expect((await readdir(join(out, 'onnx'))).sort()).toEqual(['decoder_model_merged.onnx', 'encoder_model.onnx']);
    const cfg = JSON.parse(await readFile(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(cfg).toMatchObject({ vocab_size: 8, decoder_vocab_size: 8, pad_token_id: 7, decoder_start_token_id: 7, bad_words_ids: [[7]] });
    expect(cfg.dwibahasa_test_model).toEqual({ version: TEST_MODEL_VERSION, preset: 'tiny', seed: 3, eos_at_input_length: true });
    const gen = JSON.parse(await readFile(join(out, 'generation_config.json'), 'utf8')) as Record<string, unknown>;
    expect(gen).toMatchObject({ decoder_start_token_id: 7, pad_token_id: 7, eos_token_id: 0, num_beams: 6, max_length: 512 });
  });

  it('the 8-piece model runs and scores all 8 tokens', async () => {
    const dir = join(root!, 'small');
    const cfg = await readConfig(dir);
    const encoder = await ort.InferenceSession.create(join(dir, 'onnx', 'encoder_model.onnx'));
    const decoder = await ort.InferenceSession.create(join(dir, 'onnx', 'decoder_model_merged.onnx'));
    try {
      const mask = int64([[1, 1, 1]]);
      const enc = await encoder.run({ input_ids: int64([[3, 1, 0]]), attention_mask: mask });
      const out = await runDecoder(decoder, cfg, mask, enc.last_hidden_state!, int64([[7, 4, 5]]), undefined);
      expect(out.logits.dims).toEqual([1, 3, 8]);
      const logits = out.logits.data as Float32Array;
      // eos switch: the source has 3 tokens, so "</s>" is pushed down at positions 0 and 1 and up at 2.
      expect(logits[0]).toBeLessThan(-1000);
      expect(logits[8]).toBeLessThan(-1000);
      expect(logits[16]).toBeGreaterThan(1000);
    } finally {
      await encoder.release();
      await decoder.release();
    }
  });

  it.each([
    [['--preset', 'huge', '--out', 'x']],
    [['--preset', 'tiny']],
    [['--preset', 'tiny', '--out', 'x', '--dtype', 'fp16']],
    [['--preset', 'tiny', '--out', 'x', '--seed', '-1']],
    [['--preset', 'tiny', '--out', 'x', '--vocab-size', '3']],
    [['--preset', 'tiny', '--out', 'x', '--bogus']],
  ])('rejects bad usage %j', async (argv) => {
    await expect(main(argv)).rejects.toBeInstanceOf(UsageError);
  });
});
