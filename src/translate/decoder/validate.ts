import type { DecodeRequest } from './types.js';

/** The batch size, after checking that the per-row arrays agree with it (a caller bug otherwise). */
export function checkRequest(req: DecodeRequest): number {
  const dims = req.inputIds.dims;
  const batch = dims[0] ?? 0;
  if (dims.length !== 2 || req.attentionMask.dims[0] !== batch || req.attentionMask.dims[1] !== dims[1]) {
    throw new RangeError(`decode request: input_ids [${dims.join(', ')}] and attention_mask [${req.attentionMask.dims.join(', ')}] must both be [batch, width]`);
  }
  if (req.lengths.length !== batch || req.maxNewTokens.length !== batch) {
    throw new RangeError(`decode request: ${batch} rows but ${req.lengths.length} lengths and ${req.maxNewTokens.length} maxNewTokens`);
  }
  if (!Number.isInteger(req.beams) || req.beams < 1) {
    throw new RangeError(`decode request: beams must be a positive integer, got ${req.beams}`);
  }
  return batch;
}

/**
 * A first capacity for the batch's self-attention cache: the longest input and a quarter more (a
 * translation is about as long as its source), so that the cache seldom has to grow.
 */
export function expectedLength(req: DecodeRequest): number {
  return Math.ceil(Math.max(1, ...req.lengths) * 1.25) + 4;
}
