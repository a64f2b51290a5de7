/**
 * Writes a synthetic Marian model folder that transformers.js loads exactly like a Xenova opus-mt
 * export: config.json, generation_config.json, tokenizer files, and fp32 and/or q8 ONNX graphs.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDecoderGraph, buildEncoderGraph } from './marian-graph.js';
import { encodeModel, type GraphDef } from '../src/onnx/build.js';
import { PRESETS, type PresetName } from './presets.js';
import { buildTokenizerFiles, buildVocabulary, EOS_ID, UNK_ID } from './tokenizer.js';
import { generateWeights, type MarianDims } from './weights.js';

export type TestModelDtype = 'fp32' | 'q8' | 'both';

export interface GenerateTestModelOptions {
  readonly preset: PresetName;
  readonly outDir: string;
  /** Which ONNX files to write; default 'both'. */
  readonly dtype?: TestModelDtype;
  /** PRNG seed for the weights; default 0. */
  readonly seed?: number;
  /**
   * Test/benchmark only: the decoder forces "</s>" exactly at position (source tokens - 1), so greedy
   * output has (source tokens - 1) tokens, per row of a padded batch.
   */
  readonly eosAtInputLength?: boolean;
  /** Overrides the preset's vocabulary size (e.g. 8–16 for brute-force decoding tests). */
  readonly vocabSize?: number;
}

/**
 * Bump when the generated files change for the same options, so that caches of generated models
 * (the benchmark's) are regenerated. 2: the merged decoder's branches are whole decoders, as
 * optimum merges them, and the cached branch returns empty cross-attention presents.
 */
export const TEST_MODEL_VERSION = 2;

const OPSET = 17;
const IR_VERSION = 8;

export async function generateTestModel(options: GenerateTestModelOptions): Promise<void> {
  const dtype = options.dtype ?? 'both';
  const seed = options.seed ?? 0;
  const eosAtInputLength = options.eosAtInputLength ?? false;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in 0..4294967295, got ${seed}`);
  }
  const dims: MarianDims = { ...PRESETS[options.preset], vocabSize: options.vocabSize ?? PRESETS[options.preset].vocabSize };
  const vocab = buildVocabulary(dims.vocabSize);
  const padId = dims.vocabSize - 1;

  await mkdir(join(options.outDir, 'onnx'), { recursive: true });
  const json = (name: string, value: unknown): Promise<void> =>
    writeFile(join(options.outDir, name), `${JSON.stringify(value, null, 2)}\n`);
  const tok = buildTokenizerFiles(vocab);
  await json('config.json', modelConfig(dims, options.preset, seed, eosAtInputLength));
  await json('generation_config.json', generationConfig(padId));
  await json('tokenizer.json', tok.tokenizerJson);
  await json('tokenizer_config.json', tok.tokenizerConfigJson);

  const weights = generateWeights(dims, seed, EOS_ID, padId);
  const variants: boolean[] = dtype === 'both' ? [false, true] : [dtype === 'q8'];
  for (const quantized of variants) {
    const suffix = quantized ? '_quantized' : '';
    await writeGraph(join(options.outDir, 'onnx', `encoder_model${suffix}.onnx`), buildEncoderGraph(weights, quantized));
    await writeGraph(
      join(options.outDir, 'onnx', `decoder_model_merged${suffix}.onnx`),
      buildDecoderGraph(weights, { quantized, eosId: EOS_ID, eosAtInputLength }),
    );
  }
}

async function writeGraph(path: string, graph: GraphDef): Promise<void> {
  const chunks = encodeModel(graph, {
    opset: OPSET,
    irVersion: IR_VERSION,
    producerName: 'dwibahasa-testmodel',
    producerVersion: String(TEST_MODEL_VERSION),
  }).finish();
  const fh = await open(path, 'w');
  try {
    // writev takes many small chunks per call; batches keep the iovec count bounded.
    for (let i = 0; i < chunks.length; i += 512) await fh.writev(chunks.slice(i, i + 512));
  } finally {
    await fh.close();
  }
}

function modelConfig(dims: MarianDims, preset: PresetName, seed: number, eosAtInputLength: boolean): Record<string, unknown> {
  const pad = dims.vocabSize - 1;
  return {
    _name_or_path: `dwibahasa-test-model-${preset}`,
    model_type: 'marian',
    architectures: ['MarianMTModel'],
    d_model: dims.dModel,
    encoder_layers: dims.encoderLayers,
    decoder_layers: dims.decoderLayers,
    encoder_attention_heads: dims.encoderHeads,
    decoder_attention_heads: dims.decoderHeads,
    encoder_ffn_dim: dims.encoderFfn,
    decoder_ffn_dim: dims.decoderFfn,
    vocab_size: dims.vocabSize,
    decoder_vocab_size: dims.vocabSize,
    max_position_embeddings: dims.maxPositions,
    pad_token_id: pad,
    decoder_start_token_id: pad,
    eos_token_id: EOS_ID,
    forced_eos_token_id: EOS_ID,
    unk_token_id: UNK_ID,
    bad_words_ids: [[pad]],
    scale_embedding: true,
    static_position_embeddings: true,
    activation_function: 'swish',
    normalize_before: false,
    normalize_embedding: false,
    add_bias_logits: false,
    is_encoder_decoder: true,
    use_cache: true,
    share_encoder_decoder_embeddings: true,
    tie_word_embeddings: true,
    num_beams: 6,
    max_length: 512,
    dropout: 0.1,
    attention_dropout: 0.0,
    activation_dropout: 0.0,
    init_std: 0.02,
    transformers_version: '4.34.0',
    dwibahasa_test_model: { version: TEST_MODEL_VERSION, preset, seed, eos_at_input_length: eosAtInputLength },
  };
}

function generationConfig(pad: number): Record<string, unknown> {
  return {
    bos_token_id: EOS_ID,
    decoder_start_token_id: pad,
    eos_token_id: EOS_ID,
    forced_eos_token_id: EOS_ID,
    pad_token_id: pad,
    bad_words_ids: [[pad]],
    max_length: 512,
    num_beams: 6,
    transformers_version: '4.34.0',
  };
}
