import type { ModelInfo } from '../types.js';

/**
 * The model key under which translations are stored and compared: everything that can change a
 * translation (model id, files hash, dtype, decoding settings). Decoding keys are sorted so that the
 * same settings always give the same key, whatever order they were written in.
 */
export function modelKeyOf(model: ModelInfo): string {
  const decoding = Object.keys(model.decoding)
    .sort()
    .map((k) => [k, model.decoding[k]]);
  return JSON.stringify({ id: model.id, hash: model.hash, dtype: model.dtype, decoding });
}
