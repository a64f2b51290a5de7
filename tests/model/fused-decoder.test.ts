import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { ModelError } from '../../src/errors.js';
import { maskedTokenIds, prepareFusedDecoder } from '../../src/model/fused-decoder.js';
import { CACHE } from '../../src/translate/decoder/cache-graph.js';
import { FUSED, FuseError } from '../../src/translate/decoder/fused-graph.js';
import { openEngine } from '../../src/translate/open-engine.js';
import { makeTinyModel, SENTENCES } from '../helpers/tiny-model.js';

let model: string;
let cache: string;

beforeAll(async () => {
  model = await makeTinyModel();
  cache = mkdtempSync(join(tmpdir(), 'dwb-fused-'));
});

afterAll(() => {
  rmSync(dirname(model), { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

describe('prepareFusedDecoder', () => {
  it('writes a folder whose decoder returns the selection; the encoder is the same file', async () => {
    const prepared = await prepareFusedDecoder(model, 'fp32', cache);
    expect(prepared.reused).toBe(false);
    expect(prepared.dir.startsWith(join(cache, 'fused-fp32'))).toBe(true);
    const enc = 'onnx/encoder_model.onnx';
    expect(readFileSync(join(prepared.dir, enc)).equals(readFileSync(join(model, enc)))).toBe(true);
    const session = await ort.InferenceSession.create(join(prepared.dir, 'onnx', 'decoder_model_merged.onnx'));
    try {
      expect(session.inputNames).toEqual(expect.arrayContaining([FUSED.selectK, FUSED.wantNormaliser, CACHE.pastLength, 'dwb_cache.0.decoder.key']));
      expect(session.inputNames.filter((n) => /^past_key_values\.\d+\.decoder\./.test(n))).toEqual([]);
      expect(session.outputNames).toEqual(expect.arrayContaining(['logits', FUSED.topValues, FUSED.topIndices, FUSED.firstLogit, FUSED.firstLogprob, 'dwb_new.0.decoder.key']));
    } finally {
      await session.release();
    }
    // The generated Marian config bans the pad token, as opus-mt's does.
    const pad = (JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')) as { pad_token_id: number }).pad_token_id;
    expect(maskedTokenIds(model).maskedIds).toEqual([pad]);
    expect(readdirSync(join(cache, 'fused-fp32')).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  it('reuses the folder on a second call, and makes another one when the config changes', async () => {
    const first = await prepareFusedDecoder(model, 'fp32', cache);
    const file = join(first.dir, 'onnx', 'decoder_model_merged.onnx');
    const before = statSync(file).mtimeMs;
    const again = await prepareFusedDecoder(model, 'fp32', cache);
    expect(again).toEqual({ dir: first.dir, reused: true });
    expect(statSync(file).mtimeMs).toBe(before);

    const other = await makeTinyModel({ seed: 3 });
    try {
      const gen = join(other, 'generation_config.json');
      writeFileSync(gen, JSON.stringify({ ...JSON.parse(readFileSync(gen, 'utf8')), bad_words_ids: [[5], [6, 7]] }));
      expect(maskedTokenIds(other).maskedIds).toEqual([5]);
      const [a, b] = await Promise.all([prepareFusedDecoder(other, 'q8', cache), prepareFusedDecoder(other, 'q8', cache)]);
      expect(a.dir).toBe(b.dir);
      expect(a.dir).not.toBe(first.dir);
    } finally {
      rmSync(dirname(other), { recursive: true, force: true });
    }
  });

  it('a decoder it cannot extend: ModelError naming the file, FuseError cause; openEngine then loads the published one', async () => {
    const broken = await makeTinyModel({ seed: 4 });
    try {
      // A bad word beyond the vocabulary cannot be masked in the graph.
      const gen = join(broken, 'generation_config.json');
      writeFileSync(gen, JSON.stringify({ ...JSON.parse(readFileSync(gen, 'utf8')), bad_words_ids: [[10_000_000]] }));
      const err = await prepareFusedDecoder(broken, 'q8', cache).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toContain('decoder_model_merged_quantized.onnx');
      expect((err as ModelError).cause).toBeInstanceOf(FuseError);

      const c = defaultConfig();
      c.model.id = broken;
      c.engine.workers = 1;
      c.decoding.beams = 1;
      const lines: string[] = [];
      const engine = await openEngine(c, { baseDir: mkdtempSync(join(tmpdir(), 'dwb-fused-open-')), log: (l) => lines.push(l) });
      try {
        expect(lines.join('\n')).toMatch(/using the decoder as published/);
        // (This model's greedy output for some inputs is empty: that is '' rather than an error.)
        const out = await engine.translate([...SENTENCES]);
        expect(out).toHaveLength(SENTENCES.length);
        expect(out.some((o) => o.text.length > 0)).toBe(true);
      } finally {
        await engine.dispose();
      }
    } finally {
      rmSync(dirname(broken), { recursive: true, force: true });
    }
  });
});

describe('openEngine with engine.fused_selection', () => {
  it('same translations fused and as published (q8, batch-invariant, 6 beams, more sentences than one decoder call takes)', async () => {
    const run = async (fused: boolean): Promise<string[]> => {
      const c = defaultConfig();
      c.model.id = model;
      c.engine.workers = 1;
      c.engine.fused_selection = fused;
      c.decoding.beams = 6;
      const base = mkdtempSync(join(tmpdir(), 'dwb-fused-open-'));
      const engine = await openEngine(c, { baseDir: base });
      try {
        expect(readdirSync(join(base, 'models', '.cache')).sort()).toEqual(fused ? ['fused-q8', 'rowq8'] : ['rowq8']);
        // 24 sentences at 6 beams: several decoder calls of at most 8 (DECODER_CALL_LIMITS: 48 rows).
        const texts = [...SENTENCES, ...SENTENCES.map((s) => `${s} Terima kasih.`)];
        const together = (await engine.translate(texts)).map((o) => o.text);
        const alone = [];
        for (const t of texts.slice(0, 4)) alone.push((await engine.translate([t]))[0]!.text);
        expect(together.slice(0, 4)).toEqual(alone);
        return together;
      } finally {
        await engine.dispose();
      }
    };
    expect(await run(true)).toEqual(await run(false));
  });
});
