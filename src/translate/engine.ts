/**
 * The one interface the pipeline translates through. Implementations: the transformers.js
 * engine over a local Marian model, and fakes in tests.
 */
import type { ModelInfo } from '../types.js';

export interface EngineOutput {
  /** The English text. */
  readonly text: string;
  /** Number of tokens the model generated for it (without the start and end tokens). */
  readonly generatedTokens: number;
}

export interface TranslateOptions {
  /** Decoding overrides for this call (used by quality guards to retry a segment). */
  readonly repetitionPenalty?: number;
  readonly noRepeatNgramSize?: number;
}

/** Where the engine's time went, for the run summary and the benchmark. */
export interface EngineStats {
  /** Milliseconds inside ONNX Runtime session calls, summed over workers. */
  readonly ortMs: number;
  /** Model calls (translate() calls) served. */
  readonly calls: number;
  /** Workers the time is spread over. */
  readonly workers: number;
}

export interface TranslationEngine {
  /** Identity of the model and decoding settings: part of every translation-memory key. */
  readonly info: ModelInfo;
  /** Model calls it runs at once (engine workers); 1 when absent. */
  readonly workers?: number;
  /** Largest number of input tokens (including the end token) one segment may have. */
  readonly maxInputTokens: number;
  /** Tokens the model's tokenizer makes of `text`, including the end token. */
  countTokens(text: string): number;
  /**
   * Translate Indonesian segments into English, one output per input, in order.
   * Throws InputTooLongError when a segment exceeds `maxInputTokens`: callers split first.
   */
  translate(segments: readonly string[], options?: TranslateOptions): Promise<EngineOutput[]>;
  /** Time spent inside ONNX Runtime so far (engines that run a model report it). */
  stats?(): Promise<EngineStats>;
  /** Release ONNX sessions and workers. */
  dispose(): Promise<void>;
}
