import { beamDecode } from './beam.js';
import { generateDecode } from './generate.js';
import { greedyDecode } from './greedy.js';
import type { DecodeRequest, DecodeResult } from './types.js';

/** Run the decoding loop the request names: transformers.js' generate, or dwibahasa's greedy or beam loop. */
export async function decodeBatch(req: DecodeRequest): Promise<DecodeResult> {
  if (req.decoder === 'generate') return generateDecode(req);
  return req.beams > 1 ? beamDecode(req) : greedyDecode(req);
}
