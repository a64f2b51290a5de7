import type { ParsedDocument } from '../types.js';

/**
 * The text a parsed document stands for: marker + source + trailer over all blocks. Equals the
 * parser's input, except that hard wraps joined inside a plain-text paragraph read as one space.
 */
export function reconstruct(doc: ParsedDocument): string {
  let out = '';
  for (const b of doc.blocks) out += b.marker + b.source + b.trailer;
  return out;
}
