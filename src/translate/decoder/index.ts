import { generateDecode } from './generate.js';
import type { DecodeRequest, DecodeResult } from './types.js';

export type { DecodeRequest, DecodeResult, DecoderKind } from './types.js';

/** Run the decoding loop the request names. */
export async function decodeBatch(req: DecodeRequest): Promise<DecodeResult> {
  // dwibahasa's own loop replaces this branch when it lands (see decoder/greedy.ts).
  return generateDecode(req);
}
