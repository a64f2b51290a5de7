/**
 * The batch-invariant int8 model folder: the q8 ONNX files rewritten by rowQuantize plus copies of
 * the JSON files, kept under cacheRoot/rowq8/<source hash>-v<rewrite version>/ (see
 * ../prepared-folder.ts) so that the rewrite (seconds for the full model) runs once per model,
 * not once per run or per worker.
 */
import path from 'node:path';
import { ModelError } from '../../errors.js';
import { checkModelDir } from '../files.js';
import { prepareFolder, type FolderRewrite, type PreparedFolder } from '../prepared-folder.js';
import { ProtoDecodeError } from '../../onnx/wire.js';
import { rowQuantize, RowQuantizeError } from './row-quantize.js';

/** Bump when the rewrite changes its output: old cache folders are then left unused. */
export const ROW_Q8_VERSION = 1;

export type PreparedRowQuantized = PreparedFolder;

export interface PrepareOptions {
  /** The caller has already checked `modelDir` with checkModelDir for q8 (openEngine has). */
  readonly checked?: boolean;
}

/** prepareRowQuantizedFolder, returning only the folder. */
export async function prepareRowQuantized(modelDir: string, cacheRoot: string, opts: PrepareOptions = {}): Promise<string> {
  return (await prepareRowQuantizedFolder(modelDir, cacheRoot, opts)).dir;
}

const ROW_Q8: FolderRewrite = {
  kind: 'rowq8',
  version: ROW_Q8_VERSION,
  dtype: 'q8',
  rewrite(name, bytes, modelDir) {
    const source = path.join(modelDir, name);
    try {
      const result = rowQuantize(bytes);
      // The marker records how many DynamicQuantizeLinear nodes each file had replaced.
      return { chunks: result.model.finish(), note: result.replaced };
    } catch (err) {
      if (err instanceof RowQuantizeError || err instanceof ProtoDecodeError) {
        throw new ModelError(
          `cannot make ${source} batch-invariant: ${err.message}. ` +
            'Use dtype fp32, or fetch the model again if the file is damaged',
          modelDir,
          { cause: err },
        );
      }
      throw err;
    }
  },
};

/**
 * Writes (or finds) the row-quantized copy of the q8 model in `modelDir`. Safe against concurrent
 * callers: each writes a private temporary folder and renames it into place; the first one wins.
 * Throws ModelError when the q8 files are missing or cannot be rewritten.
 */
export async function prepareRowQuantizedFolder(modelDir: string, cacheRoot: string, opts: PrepareOptions = {}): Promise<PreparedRowQuantized> {
  if (!opts.checked) checkModelDir(modelDir, 'q8');
  return prepareFolder(modelDir, cacheRoot, ROW_Q8);
}
