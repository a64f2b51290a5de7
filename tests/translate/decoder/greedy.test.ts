import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateDecode } from '../../../src/translate/decoder/generate.js';
import { greedyDecode } from '../../../src/translate/decoder/greedy.js';
import { newStats } from '../../../src/translate/decoder/stats.js';
import { encodeAll, loadTestModel, makeRequest, PROCESSOR_SETTINGS as SETTINGS, processorLabel as label, randomRows, SENTENCES, type LoadedModel } from './helpers.js';

describe('greedy == transformers.js generate, batch of 12 mixed-length sentences (fp32)', () => {
  let m: LoadedModel;
  beforeAll(async () => {
    m = await loadTestModel({ preset: 'tiny', seed: 7 }, 'fp32');
  });
  afterAll(async () => m?.dispose());

  for (const s of SETTINGS) {
    test(label(s), async () => {
      const req = makeRequest(m.model, encodeAll(m.tokenizer, SENTENCES), { ...s, maxNewTokens: (n) => n + 3 });
      const expected = await generateDecode({ ...req, decoder: 'generate' });
      // The rows must end at different steps, or compaction would go untested.
      expect(new Set(expected.map((r) => r.length)).size).toBeGreaterThan(3);
      expect(await greedyDecode(req)).toEqual(expected);
    });
  }
});

// q8 graphs quantize activations per tensor (DynamicQuantizeLinear), so a row's logits depend on the
// other rows of the batch, for transformers.js' generate as well. Equality is therefore checked where
// both loops run the same batches: one sentence at a time, and a batch whose rows all end together.
describe('greedy == transformers.js generate (q8)', () => {
  let m: LoadedModel;
  let eos: LoadedModel;
  beforeAll(async () => {
    m = await loadTestModel({ preset: 'tiny', seed: 7 }, 'q8');
    eos = await loadTestModel({ preset: 'tiny', seed: 11, eosAtInputLength: true }, 'q8');
  });
  afterAll(async () => {
    await m?.dispose();
    await eos?.dispose();
  });

  for (const s of SETTINGS) {
    test(`one sentence at a time, ${label(s)}`, async () => {
      for (const ids of encodeAll(m.tokenizer, SENTENCES)) {
        const req = makeRequest(m.model, [ids], { ...s, maxNewTokens: (n) => n + 3 });
        expect(await greedyDecode(req)).toEqual(await generateDecode({ ...req, decoder: 'generate' }));
      }
    });

    test(`batch of 12 rows ending together, ${label(s)}`, async () => {
      const rows = randomRows(12, 9, 9, 512, 3);
      const req = makeRequest(eos.model, rows, { ...s, maxNewTokens: 20 });
      const expected = await generateDecode({ ...req, decoder: 'generate' });
      expect(expected.every((r) => r.length === 8)).toBe(true);
      expect(await greedyDecode(req)).toEqual(expected);
    });
  }
});

describe('greedy batching and row-steps (fp32, eos at input length)', () => {
  let m: LoadedModel;
  beforeAll(async () => {
    m = await loadTestModel({ preset: 'tiny', seed: 3, eosAtInputLength: true }, 'fp32');
  });
  afterAll(async () => m?.dispose());

  test('a finished row leaves the batch: row-steps == sum of (generated tokens + 1)', async () => {
    const ids = encodeAll(m.tokenizer, SENTENCES);
    const stats = newStats();
    const out = await greedyDecode(makeRequest(m.model, ids), stats);
    // The test model emits </s> right after (input tokens - 1) tokens.
    expect(out.map((r) => r.length)).toEqual(ids.map((r) => r.length - 1));
    expect(stats.rowSteps).toBe(ids.reduce((sum, r) => sum + r.length, 0));
    expect(stats.decoderRuns).toBe(Math.max(...ids.map((r) => r.length)));
    expect(stats.encoderRuns).toBe(1);
  });

  test('rows stop at their own maxNewTokens, without running a step for the end token', async () => {
    const ids = encodeAll(m.tokenizer, SENTENCES);
    const limits = ids.map((r, i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? 2 : r.length + 5));
    const req = { ...makeRequest(m.model, ids), maxNewTokens: limits };
    const stats = newStats();
    const out = await greedyDecode(req, stats);
    const expectedLengths = ids.map((r, i) => Math.min(limits[i]!, r.length - 1));
    expect(out.map((r) => r.length)).toEqual(expectedLengths);
    const steps = ids.map((r, i) => (limits[i]! <= r.length - 1 ? limits[i]! : r.length));
    expect(stats.rowSteps).toBe(steps.reduce((a, b) => a + b, 0));
    // Cut rows are prefixes of the unlimited output.
    const full = await greedyDecode(makeRequest(m.model, ids));
    out.forEach((row, i) => expect(row).toEqual(full[i]!.slice(0, row.length)));
  });

  test('batched == one sentence at a time', async () => {
    const ids = encodeAll(m.tokenizer, SENTENCES);
    const opts = { repetitionPenalty: 1.3, noRepeatNgramSize: 3 };
    const batched = await greedyDecode(makeRequest(m.model, ids, opts));
    for (let r = 0; r < ids.length; r++) {
      expect((await greedyDecode(makeRequest(m.model, [ids[r]!], opts)))[0]).toEqual(batched[r]);
    }
  });
});
