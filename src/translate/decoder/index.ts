import { beamDecode } from './beam.js';
import { generateDecode } from './generate.js';
import { greedyDecode } from './greedy.js';
import type { DecodeRequest, DecodeResult } from './types.js';

export type { DecodeRequest, DecodeResult, DecoderKind } from './types.js';
export type { DecodeStats } from './stats.js';
export { newStats } from './stats.js';
export { greedyDecode } from './greedy.js';
export { beamDecode } from './beam.js';
export { scoreSequence } from './score.js';
export { helperSessionMs } from './normaliser.js';

/** Run the decoding loop the request names: transformers.js' generate, or dwibahasa's greedy or beam loop. */
export async function decodeBatch(req: DecodeRequest): Promise<DecodeResult> {
  if (req.decoder === 'generate') return generateDecode(req);
  return req.beams > 1 ? beamDecode(req) : greedyDecode(req);
}
