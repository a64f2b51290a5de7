/**
 * The model folder whose merged decoder returns the search's selection (see
 * src/translate/decoder/fused-graph.ts) and takes its self-attention cache from the caller
 * (cache-graph.ts), cached under cacheRoot/fused-<dtype>/<source hash>-v<version>/;
 * the encoder is hard-linked (or copied), the JSON files copied.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ModelError } from '../errors.js';
import { ProtoDecodeError } from '../onnx/wire.js';
import { keepCacheOutside } from '../translate/decoder/cache-graph.js';
import { FuseError, fuseSelection, FUSED_VERSION } from '../translate/decoder/fused-graph.js';
import type { Dtype } from '../types.js';
import { onnxFiles } from './files.js';
import { prepareFolder, type PreparedFolder } from './prepared-folder.js';

interface ConfigJson {
  vocab_size?: number;
  bad_words_ids?: number[][] | null;
  decoder_attention_heads?: number;
  d_model?: number;
}

function readJson(file: string): ConfigJson {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ConfigJson;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ModelError(`${file} is not valid JSON (${(err as Error).message}); fetch the model again`, path.dirname(file), { cause: err });
  }
}

/**
 * Single-token bad words (generation_config.json over config.json, as the decoder resolves them):
 * the ones the graph can mask once for all steps. Longer ones depend on the history and stay in
 * JavaScript.
 */
export function maskedTokenIds(modelDir: string): { vocab: number | undefined; maskedIds: number[] } {
  const config = readJson(path.join(modelDir, 'config.json'));
  const gen = readJson(path.join(modelDir, 'generation_config.json'));
  const bad = gen.bad_words_ids !== undefined ? gen.bad_words_ids : config.bad_words_ids;
  return { vocab: config.vocab_size, maskedIds: (bad ?? []).filter((s) => s.length === 1).map((s) => s[0]!) };
}

/** The decoder's attention heads and head size, which the cache buffers' fixed dims need. */
function attentionShape(modelDir: string): { heads: number; headDim: number } {
  const config = readJson(path.join(modelDir, 'config.json'));
  const heads = config.decoder_attention_heads;
  const d = config.d_model;
  if (!heads || !d || d % heads !== 0) throw new FuseError(`config.json has decoder_attention_heads=${heads} and d_model=${d}; the cache buffers need both, d_model divisible by the heads`);
  return { heads, headDim: d / heads };
}

/**
 * Writes (or finds) the fused copy of the model in `modelDir` (already checked for `dtype`).
 * Throws ModelError with a FuseError cause when the decoder cannot take the selection: the caller
 * then loads the folder as it is.
 */
export async function prepareFusedDecoder(modelDir: string, dtype: Dtype, cacheRoot: string): Promise<PreparedFolder> {
  const { vocab, maskedIds } = maskedTokenIds(modelDir);
  const decoder = onnxFiles(dtype)[1]!;
  return prepareFolder(modelDir, cacheRoot, {
    kind: `fused-${dtype}`,
    version: FUSED_VERSION,
    dtype,
    rewrite(name, bytes) {
      if (name !== decoder) return undefined;
      const source = path.join(modelDir, name);
      try {
        if (vocab === undefined) throw new FuseError('config.json has no vocab_size');
        const { heads, headDim } = attentionShape(modelDir);
        const model = fuseSelection(bytes, { vocab, maskedIds });
        keepCacheOutside(model, heads, headDim);
        return { chunks: model.encode().finish(), note: { maskedIds } };
      } catch (err) {
        if (err instanceof FuseError || err instanceof ProtoDecodeError) {
          throw new ModelError(`cannot append the search's selection to ${source}: ${err.message}`, modelDir, { cause: err });
        }
        throw err;
      }
    },
  });
}
