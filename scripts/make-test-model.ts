/**
 * CLI: write a synthetic Marian model folder (seeded random weights, real Marian forward pass) that
 * transformers.js loads like Xenova/opus-mt-id-en. For tests and benchmarks only: it translates nothing.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError, describeError } from '../src/errors.js';
import { generateTestModel, type TestModelDtype } from '../testmodel/generate.js';
import { isPresetName, PRESET_NAMES } from '../testmodel/presets.js';
import { MIN_VOCAB_SIZE } from '../testmodel/tokenizer.js';

const HELP = `Usage: npm run make-test-model -- --preset tiny|full --out DIR [options]

Writes config.json, generation_config.json, tokenizer.json, tokenizer_config.json and
onnx/{encoder_model,decoder_model_merged}[_quantized].onnx into DIR.

Options:
  --preset tiny|full        tiny: d_model 16, 2+2 layers (milliseconds per sentence);
                            full: opus-mt-id-en sizes (d_model 512, 6+6 layers, 54,796 pieces)
  --out DIR                 output folder (created if missing; files are overwritten)
  --dtype fp32|q8|both      which ONNX files to write (default: both)
  --seed N                  weight seed, 0..4294967295 (default: 0); same seed, same bytes
  --vocab-size N            override the preset's vocabulary size (>= 4; e.g. 8-16 for
                            brute-force decoding tests, where most text becomes <unk>)
  --eos-at-input-length     TEST/BENCHMARK ONLY: the decoder forces "</s>" at decoder position
                            (source tokens - 1) and suppresses it before, so greedy output has
                            exactly (source tokens - 1) tokens, per row of a padded batch
  -h, --help                show this help
`;

function parseCount(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

export async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        preset: { type: 'string' },
        out: { type: 'string' },
        dtype: { type: 'string', default: 'both' },
        seed: { type: 'string', default: '0' },
        'vocab-size': { type: 'string' },
        'eos-at-input-length': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(`${describeError(err)}\n\n${HELP}`);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { preset, out, dtype } = values;
  if (preset === undefined || !isPresetName(preset)) {
    throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}\n\n${HELP}`);
  }
  if (out === undefined) throw new UsageError(`--out DIR is required\n\n${HELP}`);
  if (dtype !== 'fp32' && dtype !== 'q8' && dtype !== 'both') {
    throw new UsageError(`--dtype must be fp32, q8 or both, got "${dtype}"`);
  }
  const seed = parseCount('seed', values.seed) ?? 0;
  if (seed > 0xffffffff) throw new UsageError(`--seed must be at most 4294967295, got ${seed}`);
  const vocabSize = parseCount('vocab-size', values['vocab-size']);
  if (vocabSize !== undefined && vocabSize < MIN_VOCAB_SIZE) throw new UsageError(`--vocab-size must be at least ${MIN_VOCAB_SIZE}, got ${vocabSize}`);

  const started = Date.now();
  await generateTestModel({
    preset,
    outDir: out,
    dtype: dtype as TestModelDtype,
    seed,
    eosAtInputLength: values['eos-at-input-length'],
    ...(vocabSize === undefined ? {} : { vocabSize }),
  });
  process.stdout.write(`wrote ${preset} test model (seed ${seed}, ${dtype}) to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href;
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`${err.message}\n`);
        process.exitCode = err.exitCode;
      } else {
        process.stderr.write(`make-test-model: ${describeError(err)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
