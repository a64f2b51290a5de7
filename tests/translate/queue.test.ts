import { describe, expect, it } from 'vitest';
import { SegmentQueue, SegmentTranslationError, type TranslationStore } from '../../src/translate/queue.js';
import { FakeEngine, reverseWords } from '../helpers/fake-engine.js';

function memoryStore(): TranslationStore & { data: Map<string, string>; puts: number } {
  const data = new Map<string, string>();
  return {
    data,
    puts: 0,
    getMany(sources) {
      const out = new Map<string, string>();
      for (const s of sources) if (data.has(s)) out.set(s, data.get(s)!);
      return out;
    },
    putMany(entries) {
      this.puts++;
      for (const e of entries) data.set(e.source, e.target);
    },
  };
}

const opts = { batchSize: 4, batchTokens: 1000, concurrency: 2, retries: 2 };

describe('SegmentQueue', () => {
  it('returns each translation in input order and translates identical text once', async () => {
    const engine = new FakeEngine();
    const q = new SegmentQueue(engine, undefined, opts);
    const texts = ['satu dua', 'tiga empat lima', 'satu dua', 'enam'];
    const out = await Promise.all([q.translateAll(texts), q.translateAll(['tiga empat lima', 'tujuh delapan']), q.drained()]);
    expect(out[0]).toEqual(texts.map(reverseWords));
    expect(out[1]).toEqual(['lima empat tiga', 'delapan tujuh']);
    expect(engine.rows).toBe(4);
    expect(q.stats.segmentsDeduplicated).toBe(2);
  });

  it('never exceeds the batch size or the token budget', async () => {
    const engine = new FakeEngine();
    const q = new SegmentQueue(engine, undefined, { ...opts, batchSize: 3, batchTokens: 12 });
    const texts = Array.from({ length: 40 }, (_, i) => 'kata '.repeat(1 + (i % 7)) + `n${i}`);
    const p = q.translateAll(texts);
    await q.drained();
    expect(await p).toEqual(texts.map(reverseWords));
    for (const b of engine.batches) {
      expect(b.length).toBeLessThanOrEqual(3);
      const longest = Math.max(...b.map((t) => engine.countTokens(t)));
      // A single over-budget row still goes alone rather than never.
      if (b.length > 1) expect(b.length * longest).toBeLessThanOrEqual(12);
    }
  });

  it('groups segments of similar length', async () => {
    const engine = new FakeEngine();
    const q = new SegmentQueue(engine, undefined, { ...opts, batchSize: 4, batchTokens: 10_000, window: 1000 });
    const texts = Array.from({ length: 32 }, (_, i) => 'x '.repeat(i % 2 === 0 ? 2 : 30) + `n${i}`);
    const p = q.translateAll(texts);
    await q.drained();
    await p;
    for (const b of engine.batches) {
      const lens = b.map((t) => engine.countTokens(t));
      expect(Math.max(...lens) - Math.min(...lens)).toBeLessThan(5);
    }
  });

  it('serves stored translations without calling the engine and stores new ones per batch', async () => {
    const store = memoryStore();
    store.data.set('sudah ada', 'already there');
    const engine = new FakeEngine();
    const q = new SegmentQueue(engine, store, opts);
    const p = q.translateAll(['sudah ada', 'baru saja']);
    await q.drained();
    expect(await p).toEqual(['already there', 'saja baru']);
    expect(engine.batches.flat()).toEqual(['baru saja']);
    expect(store.data.get('baru saja')).toBe('saja baru');
    expect(q.stats.segmentsFromMemory).toBe(1);
  });

  it('retries a failing batch one segment at a time and fails only the bad segment', async () => {
    const engine = new FakeEngine({ failOn: /RUSAK/ });
    const q = new SegmentQueue(engine, undefined, opts);
    const p = q.translateAll(['baik satu', 'RUSAK dua', 'baik tiga']);
    await q.drained();
    const out = await p;
    expect(out[0]).toBe('satu baik');
    expect(out[2]).toBe('tiga baik');
    expect(out[1]).toBeInstanceOf(SegmentTranslationError);
    expect(q.stats.failedSegments).toBe(1);
  });

  it('recovers when a retry succeeds', async () => {
    const engine = new FakeEngine({ failOn: /KADANG/, failTimes: 2 });
    const q = new SegmentQueue(engine, undefined, opts);
    const p = q.translateAll(['KADANG gagal', 'lain']);
    await q.drained();
    expect(await p).toEqual(['gagal KADANG', 'lain']);
  });

  it('shares the last segments out among the workers instead of one full batch and a remainder', async () => {
    const engine = new FakeEngine({ workers: 2 });
    const q = new SegmentQueue(engine, undefined, { ...opts, batchSize: 16, concurrency: 2 });
    const texts = Array.from({ length: 18 }, (_, i) => `kalimat nomor ${i}`);
    const p = q.translateAll(texts);
    await q.drained();
    expect(await p).toEqual(texts.map(reverseWords));
    expect(engine.batches.map((b) => b.length)).toEqual([9, 9]);
  });

  it('runs as many model calls at once as the concurrency allows', async () => {
    const engine = new FakeEngine({ delayMs: 20 });
    const q = new SegmentQueue(engine, undefined, { ...opts, concurrency: 3, batchSize: 2 });
    const p = q.translateAll(Array.from({ length: 24 }, (_, i) => `kalimat ${i}`));
    await q.drained();
    await p;
    expect(engine.maxRunning).toBe(3);
  });
});
