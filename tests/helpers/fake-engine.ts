/**
 * A deterministic stand-in for the model: English = the source's words in reverse order.
 * Counts calls and rows, can be slowed down and can fail on chosen texts, so pipeline tests
 * can check that every translation lands in its own file, block and place.
 */
import type { EngineOutput, TranslateOptions, TranslationEngine } from '../../src/translate/engine.js';
import type { ModelInfo } from '../../src/types.js';

export function reverseWords(text: string): string {
  return text.split(/\s+/).filter(Boolean).reverse().join(' ');
}

export interface FakeEngineOptions {
  readonly workers?: number;
  readonly delayMs?: number;
  /** Throw when a batch contains a text matching this. */
  readonly failOn?: RegExp;
  /** Fail only the first N attempts on matching texts (then succeed). */
  readonly failTimes?: number;
  readonly translate?: (text: string, options: TranslateOptions) => string;
  readonly info?: Partial<ModelInfo>;
}

export class FakeEngine implements TranslationEngine {
  readonly info: ModelInfo;
  readonly maxInputTokens = 512;
  readonly workers: number;
  calls = 0;
  rows = 0;
  readonly batches: string[][] = [];
  private failures = 0;
  private running = 0;
  maxRunning = 0;

  constructor(private readonly opts: FakeEngineOptions = {}) {
    this.workers = opts.workers ?? 1;
    this.info = { id: 'fake/reverse', dtype: 'q8', hash: '0000000000000000', decoding: { beams: 1 }, ...opts.info };
  }

  countTokens(text: string): number {
    return text.split(/\s+/).filter(Boolean).length + 1;
  }

  async translate(segments: readonly string[], options: TranslateOptions = {}): Promise<EngineOutput[]> {
    this.calls++;
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.opts.delayMs) await new Promise((r) => setTimeout(r, this.opts.delayMs));
      if (this.opts.failOn && segments.some((s) => this.opts.failOn!.test(s))) {
        if (this.opts.failTimes === undefined || this.failures < this.opts.failTimes) {
          this.failures++;
          throw new Error('fake engine failure');
        }
      }
      this.rows += segments.length;
      this.batches.push([...segments]);
      const f = this.opts.translate ?? ((t: string) => reverseWords(t));
      return segments.map((s) => {
        const text = f(s, options);
        return { text, generatedTokens: this.countTokens(text) - 1 };
      });
    } finally {
      this.running--;
    }
  }

  async dispose(): Promise<void> {}
}
