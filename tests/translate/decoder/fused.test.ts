import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { prepareRowQuantized } from '../../../src/model/batch-invariant/prepare.js';
import { encodeModel, type GraphDef } from '../../../src/onnx/build.js';
import { beamDecode } from '../../../src/translate/decoder/beam.js';
import { FUSED, fuseSelection, FuseError } from '../../../src/translate/decoder/fused-graph.js';
import { generateDecode } from '../../../src/translate/decoder/generate.js';
import { greedyDecode } from '../../../src/translate/decoder/greedy.js';
import { argmax } from '../../../src/translate/decoder/logits.js';
import { MarianSessions } from '../../../src/translate/decoder/session.js';
import { newStats } from '../../../src/translate/decoder/stats.js';
import { TopK } from '../../../src/translate/decoder/topk.js';
import { encodeAll, loadFused, loadTestModel, makeRequest, PROCESSOR_SETTINGS as SETTINGS, processorLabel as label, randomRows, SENTENCES, type LoadedModel } from './helpers.js';

/** A stand-in for a decoder: logits = Identity(x), x float [rows, 1, vocab]. */
function logitsGraph(vocab: number): GraphDef {
  return {
    name: 'fake_decoder',
    nodes: [{ name: 'id', opType: 'Identity', inputs: ['x'], outputs: ['logits'], attributes: [] }],
    initializers: [],
    inputs: [{ name: 'x', elemType: 'float', shape: ['rows', 1, vocab] }],
    outputs: [{ name: 'logits', elemType: 'float', shape: ['rows', 1, vocab] }],
  };
}

describe('the appended selection on a hand-made graph', () => {
  const VOCAB = 10;
  const PAD = 9;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    const bytes = encodeModel(logitsGraph(VOCAB), { opset: 17, irVersion: 8, producerName: 't', producerVersion: '1' }).toBytes();
    session = await ort.InferenceSession.create(fuseSelection(bytes, { vocab: VOCAB, maskedIds: [PAD] }).toBytes());
  });
  afterAll(async () => session?.release());

  // Row 0: ties at the top (ids 2, 5, 7 = 3) and the masked pad highest of all; row 1: ties everywhere.
  const rows = [
    [0, 1, 3, -2, 0.5, 3, 2, 3, 1, 9],
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  ];

  const run = (k: number, normaliser: boolean, fetches?: string[]) => {
    const feeds = {
      x: new ort.Tensor('float32', Float32Array.from(rows.flat()), [2, 1, VOCAB]),
      [FUSED.selectK]: new ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]),
      [FUSED.wantNormaliser]: new ort.Tensor('bool', [normaliser], [1]),
    };
    return fetches ? session.run(feeds, fetches) : session.run(feeds);
  };

  test('top-k breaks ties by the lower id, as the loops do, and never picks a masked id; k = 1 is argmax', async () => {
    const k = 4;
    const out = await run(k, true);
    const ids = Array.from(out[FUSED.topIndices]!.data as BigInt64Array, Number);
    // Worked by hand: the masked pad (9) drops out; then the equal 3s in id order, then 2 (id 6).
    expect(ids).toEqual([2, 5, 7, 6, 0, 1, 2, 3]);
    expect(Array.from(out[FUSED.topValues]!.data as Float32Array)).toEqual([3, 3, 3, 2, 1, 1, 1, 1]);
    const best = Array.from((await run(1, false))[FUSED.topIndices]!.data as BigInt64Array, Number);
    expect(best).toEqual([2, 0]);
    // The same order from the loops' own JavaScript argmax and top-k on the masked rows.
    rows.forEach((row, r) => {
      const masked = Float32Array.from(row);
      masked[PAD] = -Infinity;
      expect(argmax(masked)).toBe(best[r]);
      const js = new TopK(k);
      js.scan(masked, 0, 0, 0);
      expect(Array.from({ length: js.size }, (_, i) => js.index(i))).toEqual(ids.slice(r * k, (r + 1) * k));
    });
    // The normaliser values: logit and log-probability of token 0.
    const lse = Math.log(rows[0]!.reduce((s, v) => s + Math.exp(v), 0));
    expect((out[FUSED.firstLogit]!.data as Float32Array)[0]).toBe(0);
    expect((out[FUSED.firstLogprob]!.data as Float32Array)[0]).toBeCloseTo(-lse, 5);
  });

  test('the log-softmax runs only when the normaliser is wanted', async () => {
    const off = await run(1, false, [FUSED.firstLogprob]);
    expect(off[FUSED.firstLogprob]!.dims).toEqual([1, 1, 1]);
    const on = await run(1, true, [FUSED.firstLogprob]);
    expect(on[FUSED.firstLogprob]!.dims).toEqual([2, 1, 1]);
  });

  test('only what is fetched leaves ONNX Runtime; logits stay available', async () => {
    const out = await run(1, false, [FUSED.topIndices]);
    expect(Object.keys(out)).toEqual([FUSED.topIndices]);
    const full = await run(1, false, ['logits']);
    expect(Array.from(full['logits']!.data as Float32Array)).toEqual(rows.flat());
  });

  test('refuses graphs it cannot extend', () => {
    const bytes = encodeModel(logitsGraph(VOCAB), { opset: 10, irVersion: 8, producerName: 't', producerVersion: '1' }).toBytes();
    expect(() => fuseSelection(bytes, { vocab: VOCAB, maskedIds: [] })).toThrow(FuseError);
    const ok = encodeModel(logitsGraph(VOCAB), { opset: 17, irVersion: 8, producerName: 't', producerVersion: '1' }).toBytes();
    expect(() => fuseSelection(ok, { vocab: VOCAB, maskedIds: [VOCAB] })).toThrow(/outside the vocabulary/);
    expect(() => fuseSelection(fuseSelection(ok, { vocab: VOCAB, maskedIds: [] }).toBytes(), { vocab: VOCAB, maskedIds: [] })).toThrow(/fused twice/);
  });
});

for (const dtype of ['fp32', 'q8'] as const) {
  describe(`fused selection == full logits on the tiny model (${dtype})`, () => {
    let plain: LoadedModel;
    let fused: LoadedModel;
    beforeAll(async () => {
      plain = await loadTestModel({ preset: 'tiny', seed: 7 }, dtype);
      fused = await loadFused(plain, dtype);
    });
    afterAll(async () => {
      await fused?.dispose();
      await plain?.dispose();
    });

    test('the fused folder is detected; the published one is not', () => {
      expect(MarianSessions.of(fused.model).fused).toBe(true);
      expect(MarianSessions.of(plain.model).fused).toBe(false);
    });

    for (const s of SETTINGS) {
      test(`greedy, ${label(s)}`, async () => {
        const ids = encodeAll(plain.tokenizer, SENTENCES);
        const opts = { ...s, maxNewTokens: (n: number) => n + 3 };
        const expected = await greedyDecode(makeRequest(plain.model, ids, opts));
        expect(new Set(expected.map((r) => r.length)).size).toBeGreaterThan(3);
        const stats = newStats();
        expect(await greedyDecode(makeRequest(fused.model, ids, opts), stats)).toEqual(expected);
        expect(stats.fallbackSteps).toBeLessThan(stats.decoderRuns / 4);
        if (dtype === 'fp32' && s.repetitionPenalty === 1 && s.noRepeatNgramSize === 0) {
          // And transformers.js' generate on the published model.
          expect(await generateDecode({ ...makeRequest(plain.model, ids, opts), decoder: 'generate' })).toEqual(expected);
        }
      });

      for (const beams of [4, 6]) {
        test(`beam ${beams}, ${label(s)}`, async () => {
          const ids = encodeAll(plain.tokenizer, SENTENCES);
          const opts = { ...s, beams, maxNewTokens: (n: number) => n + 3 };
          const expected = await beamDecode(makeRequest(plain.model, ids, opts));
          const stats = newStats();
          expect(await beamDecode(makeRequest(fused.model, ids, opts), stats)).toEqual(expected);
          expect(stats.fallbackSteps).toBeLessThan(stats.decoderRuns / 4);
        });
      }
    }

    // q8 is batch-invariant only once rewritten per row (src/model/batch-invariant): fused on top of that.
    test(`batched == one sentence at a time (beam 6 and greedy, processors on${dtype === 'q8' ? ', row-quantized' : ''})`, async () => {
      const source = dtype === 'q8' ? await prepareRowQuantized(plain.dir, join(plain.dir, '.cache')) : plain.dir;
      const m = await loadFused(plain, dtype, source);
      try {
        const ids = encodeAll(plain.tokenizer, SENTENCES);
        for (const beams of [1, 6]) {
          const opts = { beams, repetitionPenalty: 1.3, noRepeatNgramSize: 3, maxNewTokens: (n: number) => n + 3 };
          const batched = await beamDecode(makeRequest(m.model, ids, opts));
          for (let r = 0; r < ids.length; r++) expect((await beamDecode(makeRequest(m.model, [ids[r]!], opts)))[0]).toEqual(batched[r]);
        }
      } finally {
        await m.dispose();
      }
    });
  });
}

describe('a vocabulary smaller than k (vocabulary of 8, 6 beams: k is cut to the vocabulary)', () => {
  let plain: LoadedModel;
  let fused: LoadedModel;
  beforeAll(async () => {
    plain = await loadTestModel({ preset: 'tiny', seed: 5, vocabSize: 8 }, 'fp32');
    fused = await loadFused(plain, 'fp32');
  });
  afterAll(async () => {
    await fused?.dispose();
    await plain?.dispose();
  });

  test('same results as the full-logits path', async () => {
    const inputs = randomRows(20, 2, 6, 8, 9);
    for (const opts of [{ beams: 6 }, { beams: 6, repetitionPenalty: 1.5, noRepeatNgramSize: 2 }, { beams: 1, repetitionPenalty: 1.5 }]) {
      const req = { ...opts, maxNewTokens: 4 };
      expect(await beamDecode(makeRequest(fused.model, inputs, req))).toEqual(await beamDecode(makeRequest(plain.model, inputs, req)));
    }
  });
});
