import { beamDecode } from './beam.js';
import { greedyDecode } from './greedy.js';
import type { DecodeRequest, DecodeResult } from './types.js';

/** Run the decoding loop the request names: transformers.js' generate, or dwibahasa's greedy or beam loop. */
export async function decodeBatch(req: DecodeRequest): Promise<DecodeResult> {
  // transformers.js is loaded only for its own loop (the reference): engine workers never need it.
  if (req.decoder === 'generate') return (await import('./generate.js')).generateDecode(req);
  return req.beams > 1 ? beamDecode(req) : greedyDecode(req);
}
