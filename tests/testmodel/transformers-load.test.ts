/**
 * transformers.js loads the generated folder offline exactly like a published opus-mt export, in
 * fp32 and q8, and generates for Indonesian input; --eos-at-input-length fixes output lengths.
 */
import { basename, dirname, join } from 'node:path';
import { AutoModelForSeq2SeqLM, AutoTokenizer, env, Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestModel } from '../../testmodel/generate.js';
import { makeTempDir, removeDir } from './helpers.js';

const INDONESIAN = [
  'Rusia akan dengan tegas membela kepentingan nasionalnya pada pembicaraan keamanan mendatang.',
  'Menteri Luar Negeri mengatakan bahwa pertemuan itu penting.',
  'Halo dunia',
];

let root: string | undefined;
let plainDir: string;
let eosDir: string;

beforeAll(async () => {
  root = await makeTempDir('testmodel-tjs');
  plainDir = join(root, 'models', 'tiny');
  eosDir = join(root, 'models', 'tiny-eos');
  await generateTestModel({ preset: 'tiny', outDir: plainDir, seed: 1 });
  await generateTestModel({ preset: 'tiny', outDir: eosDir, seed: 2, dtype: 'fp32', eosAtInputLength: true });
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(plainDir);
  env.cacheDir = join(root, 'cache');
});

afterAll(async () => {
  await removeDir(root);
});

function rows(t: Tensor): number[][] {
  const [b, n] = t.dims as [number, number];
  const data = Array.from(t.data as BigInt64Array, Number);
  return Array.from({ length: b }, (_, i) => data.slice(i * n, (i + 1) * n));
}

describe('generated tiny model in transformers.js', () => {
  for (const dtype of ['fp32', 'q8'] as const) {
    it(`loads offline and generates non-empty text (${dtype})`, async () => {
      const tokenizer = await AutoTokenizer.from_pretrained(basename(plainDir));
      const model = await AutoModelForSeq2SeqLM.from_pretrained(basename(plainDir), { dtype });
      try {
        const texts: string[] = [];
        for (const text of INDONESIAN) {
          const inputs = tokenizer(text);
          const ids = rows(inputs.input_ids as Tensor)[0]!;
          expect(ids.at(-1)).toBe(0); // "</s>" appended by the post-processor
          expect(ids).not.toContain(1); // every character of ordinary Indonesian text is in the vocabulary
          const out = (await model.generate({ ...inputs, max_new_tokens: 24 })) as Tensor;
          const generated = rows(out)[0]!;
          expect(generated[0]).toBe(tokenizer.pad_token_id); // decoder_start_token_id = pad
          texts.push(tokenizer.decode(generated, { skip_special_tokens: true }));
        }
        // At least one sentence starts with a real token (not an immediate "</s>") and decodes to text.
        expect(texts.some((t) => t.trim().length > 0)).toBe(true);
      } finally {
        await model.dispose();
      }
    });
  }

  it('with --eos-at-input-length, greedy output has (source tokens - 1) tokens per row of a padded batch', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(basename(eosDir));
    const model = await AutoModelForSeq2SeqLM.from_pretrained(basename(eosDir), { dtype: 'fp32' });
    try {
      const inputs = tokenizer(INDONESIAN, { padding: true });
      const mask = rows(inputs.attention_mask as Tensor);
      const lengths = mask.map((r) => r.reduce((a, b) => a + b, 0));
      expect(new Set(lengths).size).toBe(3); // really a padded batch of different lengths
      const out = (await model.generate({ ...inputs, num_beams: 1, do_sample: false, max_new_tokens: 200 })) as Tensor;
      rows(out).forEach((row, i) => {
        const n = lengths[i]!;
        // row = [decoder start, n - 1 ordinary tokens, "</s>", padding...]
        const body = row.slice(1, n);
        expect(body, `row ${i}`).toHaveLength(n - 1);
        expect(body).not.toContain(0);
        expect(row[n], `row ${i}`).toBe(0);
      });
    } finally {
      await model.dispose();
    }
  });
});
