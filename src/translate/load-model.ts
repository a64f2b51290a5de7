/**
 * Opens a Marian model folder's two ONNX Runtime sessions (encoder, merged decoder) directly with
 * onnxruntime-node, without transformers.js: dwibahasa's own decoding loops need only the sessions
 * and the two config files. An engine worker therefore loads no tokenizer and no transformers.js
 * (about 75 MB and half a second of start-up each, measured); the tokenizer lives in the thread
 * that hands the worker token ids. transformers.js' own `generate` (the reference loop) still needs
 * its PreTrainedModel, loaded by marian-engine.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { ModelError } from '../errors.js';
import { describeOnnxLoadError, onnxFiles } from '../model/files.js';
import type { Dtype } from '../types.js';
import type { MarianModel } from './decoder/types.js';

export interface DirectModel extends MarianModel {
  readonly sessions: { readonly model: InferenceSession; readonly decoder_model_merged: InferenceSession };
  dispose(): Promise<void>;
}

function readJson(dir: string, name: string, required: boolean): unknown {
  const file = join(dir, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelError(`cannot read ${file}: ${(err as Error).message}`, dir, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ModelError(`${file} is not valid JSON (${(err as Error).message}); fetch the model again`, dir, { cause: err });
  }
}

/** The encoder and merged decoder of `dir` for `dtype`, with these ONNX Runtime session options. */
export async function loadMarianModel(dir: string, dtype: Dtype, sessionOptions: InferenceSession.SessionOptions): Promise<DirectModel> {
  const config = readJson(dir, 'config.json', true);
  const generation = readJson(dir, 'generation_config.json', false);
  const [encoderFile, decoderFile] = onnxFiles(dtype).map((f) => join(dir, f)) as [string, string];
  const open = async (file: string): Promise<InferenceSession> => {
    try {
      return await InferenceSession.create(file, sessionOptions);
    } catch (err) {
      throw new ModelError(describeOnnxLoadError(file, err), dir, { cause: err });
    }
  };
  // One after the other: each session creation already keeps this thread busy.
  const encoder = await open(encoderFile);
  let decoder: InferenceSession;
  try {
    decoder = await open(decoderFile);
  } catch (err) {
    await encoder.release();
    throw err;
  }
  return {
    sessions: { model: encoder, decoder_model_merged: decoder },
    config,
    ...(generation === undefined ? {} : { generation_config: generation }),
    async dispose() {
      await Promise.all([encoder.release(), decoder.release()]);
    },
  };
}
