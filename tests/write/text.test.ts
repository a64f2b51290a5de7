import { describe, expect, it } from 'vitest';
import { englishTextExtension, renderText } from '../../src/write/text.js';
import { MD_DOC, MD_ENGLISH, TEXT_DOC, TEXT_ENGLISH } from './fixtures.js';

describe('renderText', () => {
  it('gives the English with the input structure, byte for byte', () => {
    expect(renderText(TEXT_DOC)).toBe(TEXT_ENGLISH);
    expect(renderText(MD_DOC)).toBe(MD_ENGLISH);
  });

  it('copies untranslated blocks from source even if target differs', () => {
    const block = { ...MD_DOC.blocks[5]!, target: 'WRONG' };
    const doc = { ...MD_DOC, blocks: [block] };
    expect(renderText(doc)).toBe(block.source + block.trailer);
  });

  it('names Markdown English .en.md and plain text .en.txt', () => {
    expect(englishTextExtension('markdown')).toBe('.en.md');
    expect(englishTextExtension('text')).toBe('.en.txt');
  });
});
