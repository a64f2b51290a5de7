import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createGuard, RETRY_OPTIONS, type GuardContext } from '../../src/guards/guard.js';
import type { EngineOutput, TranslateOptions, TranslationEngine } from '../../src/translate/engine.js';

/** A fake model: a dictionary of good translations, and a failure mode for plain decoding. */
type Mode = 'loop' | 'drop-half' | 'copy' | 'mangle-numbers' | 'copy-numbers' | 'clean' | 'loop-always' | 'throw-on-retry';

interface Call {
  readonly segments: readonly string[];
  readonly options?: TranslateOptions;
}

const GOOD: Record<string, string> = {
  'Saya minta maaf kepada seluruh warga atas kejadian itu.': "I apologise to all residents for the incident.",
  'Sebanyak 1.200 warga mengungsi karena banjir di Jakarta Utara.': 'A total of 1,200 residents were evacuated due to flooding in North Jakarta.',
  'Pemerintah daerah membuka posko pengungsian di sekolah dan masjid, tetapi bantuan makanan belum tiba di beberapa lokasi sampai malam.':
    'The regional government opened evacuation posts in schools and mosques, but food aid had not arrived at several locations until night.',
  'Pemerintah daerah membuka posko pengungsian di sekolah dan masjid': 'The regional government opened evacuation posts in schools and mosques',
  'tetapi bantuan makanan belum tiba di beberapa lokasi sampai malam.': 'But food aid had not arrived at several locations until night.',
  'Warga mengeluhkan harga beras yang terus naik, sementara gaji mereka tidak bertambah sejak tahun lalu.':
    'Residents complained about rice prices that keep rising, while their wages have not increased since last year.',
  'Warga mengeluhkan harga beras yang terus naik': 'Residents complained about rice prices that keep rising',
  'sementara gaji mereka tidak bertambah sejak tahun lalu.': 'While their wages have not increased since last year.',
};

class FakeEngine implements TranslationEngine {
  readonly info = { id: 'fake', dtype: 'q8' as const, hash: 'x', decoding: {} };
  readonly maxInputTokens = 512;
  readonly calls: Call[] = [];
  constructor(private readonly mode: Mode) {}
  countTokens(text: string): number {
    return text.split(/\s+/).length + 1;
  }
  async translate(segments: readonly string[], options?: TranslateOptions): Promise<EngineOutput[]> {
    this.calls.push({ segments, ...(options ? { options } : {}) });
    if (this.mode === 'throw-on-retry' && this.calls.length > 0) throw new Error('engine down');
    return segments.map((s) => ({ text: this.render(s, options), generatedTokens: 1 }));
  }
  async dispose(): Promise<void> {}

  private render(s: string, options: TranslateOptions | undefined): string {
    // Clauses keep their comma in the source; the fake answers them like a model would, with a full stop.
    const good = GOOD[s] ?? GOOD[s.replace(/,$/u, '')]?.replace(/[^.]$/u, '$&.') ?? 'Something else entirely.';
    const penalised = (options?.repetitionPenalty ?? 1) > 1;
    switch (this.mode) {
      case 'loop':
        return penalised ? good : "I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry";
      case 'loop-always':
        return "I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry";
      case 'drop-half': {
        // Long inputs lose their second half whatever the decoding; clauses are short enough.
        if (s.length < 80) return good;
        const words = good.split(' ');
        return words.slice(0, Math.ceil(words.length / 3)).join(' ') + '.';
      }
      case 'copy':
        return s;
      case 'mangle-numbers':
        return good.replace('1,200', '1.2');
      case 'copy-numbers':
        return good.replace('1,200', '1.200');
      default:
        return good;
    }
  }
}

function config(retry?: boolean): Config {
  const c = defaultConfig();
  if (retry !== undefined) (c.guards as { retry?: boolean }).retry = retry;
  return c;
}

/** What the pipeline passes: the first translation, and recovery through the same engine. */
async function contextFor(source: string, engine: FakeEngine): Promise<GuardContext> {
  const [first] = await engine.translate([source]);
  engine.calls.length = 0;
  return {
    source,
    target: first!.text,
    retranslate: async (options) => (await engine.translate([source], options))[0]!.text,
    translateClauses: async (clauses) => (await engine.translate(clauses)).map((o) => o.text),
  };
}

describe('createGuard', () => {
  it('leaves a clean translation alone without any retry', async () => {
    const engine = new FakeEngine('clean');
    const source = 'Sebanyak 1.200 warga mengungsi karena banjir di Jakarta Utara.';
    const result = await createGuard(config(), engine)(await contextFor(source, engine));
    expect(result).toEqual({ target: GOOD[source], flags: [] });
    expect(engine.calls).toEqual([]);
  });

  it('fixes a loop by decoding again with a repetition penalty', async () => {
    const engine = new FakeEngine('loop');
    const source = 'Saya minta maaf kepada seluruh warga atas kejadian itu.';
    const result = await createGuard(config(), engine)(await contextFor(source, engine));
    expect(result).toEqual({ target: GOOD[source], flags: [], recovery: 'decode' });
    expect(engine.calls).toEqual([{ segments: [source], options: RETRY_OPTIONS }]);
  });

  it('fixes dropped text by translating clause by clause after a failed retry', async () => {
    const engine = new FakeEngine('drop-half');
    const source =
      'Pemerintah daerah membuka posko pengungsian di sekolah dan masjid, tetapi bantuan makanan belum tiba di beberapa lokasi sampai malam.';
    const result = await createGuard(config(), engine)(await contextFor(source, engine));
    expect(result).toEqual({
      // The model's full stop after "mosques" became the source's comma; "But" was lowered.
      target: 'The regional government opened evacuation posts in schools and mosques, but food aid had not arrived at several locations until night.',
      flags: [],
      recovery: 'clauses',
    });
    expect(engine.calls.map((c) => c.options)).toEqual([RETRY_OPTIONS, undefined]);
    expect(engine.calls[1]!.segments).toEqual([
      'Pemerintah daerah membuka posko pengungsian di sekolah dan masjid,',
      'tetapi bantuan makanan belum tiba di beberapa lokasi sampai malam.',
    ]);
  });

  it('keeps the first translation and flags it when the model copies the source every time', async () => {
    const engine = new FakeEngine('copy');
    const source = 'Warga mengeluhkan harga beras yang terus naik, sementara gaji mereka tidak bertambah sejak tahun lalu.';
    const result = await createGuard(config(), engine)(await contextFor(source, engine));
    expect(result).toEqual({ target: source, flags: ['untranslated'] });
    expect(engine.calls).toHaveLength(2);
  });

  it('flags a changed number that no recovery fixes', async () => {
    const engine = new FakeEngine('mangle-numbers');
    const source = 'Sebanyak 1.200 warga mengungsi karena banjir di Jakarta Utara.';
    const result = await createGuard(config(), engine)(await contextFor(source, engine));
    expect(result.flags).toEqual(['lost-span']);
    expect(result.target).toContain('1.2 residents');
    expect(result.recovery).toBeUndefined();
  });

  it('writes a number copied in its Indonesian form the English way, without a retry', async () => {
    const engine = new FakeEngine('copy-numbers');
    const source = 'Sebanyak 1.200 warga mengungsi karena banjir di Jakarta Utara.';
    const result = await createGuard(config(), engine)(await contextFor(source, engine));
    expect(result).toEqual({ target: GOOD[source], flags: [] });
    expect(engine.calls).toEqual([]);
  });

  it('keeps the first attempt on a tie: clauses that loop as well do not replace it', async () => {
    const engine = new FakeEngine('loop-always');
    const source = 'Warga mengeluhkan harga beras yang terus naik, sementara gaji mereka tidak bertambah sejak tahun lalu.';
    const result = await createGuard(config(), engine)(await contextFor(source, engine));
    expect(result.flags).toContain('repetition');
    expect(result.recovery).toBeUndefined();
    expect(engine.calls).toHaveLength(2);
  });

  it('only checks when recovery is switched off', async () => {
    const engine = new FakeEngine('loop');
    const source = 'Saya minta maaf kepada seluruh warga atas kejadian itu.';
    const result = await createGuard(config(false), engine)(await contextFor(source, engine));
    expect(result.flags).toEqual(['repetition']);
    expect(engine.calls).toEqual([]);
  });

  it('keeps the first translation when recovery itself fails', async () => {
    const engine = new FakeEngine('throw-on-retry');
    const source = 'Sebanyak 1.200 warga mengungsi karena banjir di Jakarta Utara.';
    const ctx: GuardContext = {
      source,
      target: 'A total of residents.',
      retranslate: (options) => engine.translate([source], options).then((o) => o[0]!.text),
      translateClauses: (clauses) => engine.translate(clauses).then((o) => o.map((x) => x.text)),
    };
    const result = await createGuard(config(), engine)(ctx);
    expect(result).toEqual({ target: 'A total of residents.', flags: ['too-short', 'lost-span'] });
  });

  it('skips the decode retry when every segment was already decoded with those penalties', async () => {
    const engine = new FakeEngine('loop-always');
    const c = config();
    c.decoding.repetition_penalty = 1.5;
    c.decoding.no_repeat_ngram_size = 3;
    const source = 'Saya minta maaf kepada seluruh warga atas kejadian itu.';
    await createGuard(c, engine)(await contextFor(source, engine));
    expect(engine.calls.some((call) => call.options !== undefined)).toBe(false);
  });
  it('keeps the least severe attempt when none is clean, with its flags', async () => {
    const source = 'Warga mengeluhkan harga beras yang terus naik, sementara gaji mereka tidak bertambah sejak tahun lalu.';
    const loop = "Residents complained complained complained complained about rice prices that keep rising, while wages stay.";
    const ctx: GuardContext = {
      source,
      target: loop,
      // Still loops, and now drops most of the sentence: worse than the first.
      retranslate: async () => 'Residents complained complained complained complained.',
      // No loop, but the second clause came back short: too-short only.
      translateClauses: async () => ['Residents complained', 'while wages.'],
    };
    const result = await createGuard(config(), new FakeEngine('clean'))(ctx);
    expect(result).toEqual({ target: 'Residents complained, while wages.', flags: ['too-short'], recovery: 'clauses' });
  });
});
