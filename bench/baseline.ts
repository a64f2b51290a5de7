/**
 * Benchmark side (a), run as a child process by bench/run.ts: plain transformers.js.
 *
 *   node dist/bench/baseline.js --model DIR --corpus DIR --cache DIR
 *
 * `pipeline('translation', DIR)` with the library's defaults (no dtype given: it picks its own),
 * one paragraph per call (title lines too), sequentially over every .txt file of the corpus in
 * name order. Prints one JSON object (BaselineResult) on stdout; everything else goes to stderr.
 *
 * Generated tokens are measured from the output ids: `model.generate` is wrapped and each output
 * row is counted without its decoder start token, padding and end token — the same count
 * dwibahasa reports (its decoder stops before the end token).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { env, LogLevel, pipeline, type Tensor } from '@huggingface/transformers';
import { countWords } from './corpus.js';
import { timeSessionRuns } from '../src/translate/session-timing.js';

export interface BaselineResult {
  readonly side: 'baseline';
  /** The dtype transformers.js chose for each session (it was given none). */
  readonly dtype: Record<string, string>;
  /** num_beams in the model's generation config: the pipeline's default. */
  readonly config_num_beams: number | null;
  readonly paragraphs: number;
  readonly source_words: number;
  readonly generated_tokens: number;
  readonly generate_calls: number;
  readonly load_ms: number;
  /** First call to last, model load excluded. */
  readonly elapsed_ms: number;
  readonly ort_ms: number;
  readonly ort_time_share: number;
  readonly peak_rss_mb: number;
}

interface SessionLike {
  run: (...args: unknown[]) => Promise<unknown>;
  config?: { dtype?: string };
}

/** Paragraphs of the corpus files, in file-name order then file order. */
export function corpusParagraphs(corpusDir: string): string[] {
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.txt')).sort();
  return files.flatMap((f) =>
    readFileSync(path.join(corpusDir, f), 'utf8')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  );
}

/** Tokens a row generated: everything except the start token, padding and end tokens. */
export function countGenerated(row: readonly (number | bigint)[], special: ReadonlySet<number>): number {
  return row.slice(1).filter((id) => !special.has(Number(id))).length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, corpus: { type: 'string' }, cache: { type: 'string' } },
    strict: true,
  });
  if (values.model === undefined || values.corpus === undefined || values.cache === undefined) {
    throw new Error('usage: node dist/bench/baseline.js --model DIR --corpus DIR --cache DIR');
  }
  const modelDir = path.resolve(values.model);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.resolve(values.cache) + '/';
  env.cacheDir = path.resolve(values.cache);
  // The Marian "fast tokenizer" warning is noise in a benchmark log.
  env.logLevel = LogLevel.ERROR;

  const paragraphs = corpusParagraphs(values.corpus);
  const loadStart = performance.now();
  const translator = await pipeline('translation', modelDir);
  const loadMs = performance.now() - loadStart;

  const model = translator.model as unknown as {
    sessions: Record<string, SessionLike>;
    generate: (...args: unknown[]) => Promise<unknown>;
    config: { pad_token_id?: number; eos_token_id?: number | number[]; decoder_start_token_id?: number };
    generation_config?: { num_beams?: number };
  };
  let ortMs = 0;
  const dtype: Record<string, string> = {};
  for (const [name, session] of Object.entries(model.sessions)) dtype[name] = session.config?.dtype ?? 'unknown';
  timeSessionRuns(model, (ms) => (ortMs += ms));
  const special = new Set<number>(
    [model.config.pad_token_id, model.config.decoder_start_token_id, model.config.eos_token_id].flat().filter((v): v is number => typeof v === 'number'),
  );
  let generated = 0;
  let generateCalls = 0;
  const generate = model.generate.bind(model);
  model.generate = async (...args: unknown[]) => {
    const out = await generate(...args);
    generateCalls++;
    const seqs = (out as { sequences?: Tensor }).sequences ?? (out as Tensor);
    for (const row of seqs.tolist() as (number | bigint)[][]) generated += countGenerated(row, special);
    return out;
  };

  let words = 0;
  const started = performance.now();
  for (const p of paragraphs) {
    await translator(p);
    words += countWords(p);
  }
  const elapsedMs = performance.now() - started;
  await translator.dispose();

  const result: BaselineResult = {
    side: 'baseline',
    dtype,
    config_num_beams: model.generation_config?.num_beams ?? null,
    paragraphs: paragraphs.length,
    source_words: words,
    generated_tokens: generated,
    generate_calls: generateCalls,
    load_ms: loadMs,
    elapsed_ms: elapsedMs,
    ort_ms: ortMs,
    ort_time_share: elapsedMs > 0 ? ortMs / elapsedMs : 0,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

const entry = process.argv[1];
if (entry !== undefined && path.resolve(entry) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`baseline: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
