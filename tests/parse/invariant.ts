import { expect } from 'vitest';
import { reconstruct } from '../../src/parse/reconstruct.js';
import type { ParsedDocument } from '../../src/types.js';

/**
 * Checks the block invariant against the input: reconstruct(doc) must equal `input`, except at
 * positions where a '\n' of the input became one ' ' (a joined hard wrap). Returns those joins.
 */
export function expectRoundTrip(doc: ParsedDocument, input: string): number {
  const out = reconstruct(doc);
  expect(out.length).toBe(input.length);
  let joins = 0;
  for (let i = 0; i < input.length; i++) {
    if (out[i] === input[i]) continue;
    expect({ at: i, input: input[i], output: out[i] }).toEqual({ at: i, input: '\n', output: ' ' });
    joins++;
  }
  for (const b of doc.blocks) {
    if (b.translate) expect(b.source.trim()).not.toBe('');
    if (b.kind !== 'code' && b.kind !== 'html' && b.kind !== 'front-matter') {
      expect(b.source).toBe(b.source.trim());
    }
  }
  return joins;
}

/** Markdown never joins lines: the round trip is exact. */
export function expectExactRoundTrip(doc: ParsedDocument, input: string): void {
  expect(reconstruct(doc)).toBe(input);
  expectRoundTrip(doc, input);
}

export const kinds = (doc: ParsedDocument): string[] => doc.blocks.map((b) => b.kind);
export const sources = (doc: ParsedDocument): string[] => doc.blocks.map((b) => b.source);
