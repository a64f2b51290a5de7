/**
 * The English alone, with the input's structure: `marker + target + trailer` over the blocks.
 * For Markdown inputs this is Markdown again (headings, lists, code kept), hence `.en.md`.
 */
import type { DocumentFormat, TranslatedDocument } from '../types.js';
import { defuseActive } from './active-content.js';

/** Extension of the English-only output: `.en.md` for Markdown inputs, `.en.txt` otherwise. */
export function englishTextExtension(format: DocumentFormat): '.en.md' | '.en.txt' {
  return format === 'markdown' ? '.en.md' : '.en.txt';
}

export function renderText(doc: TranslatedDocument): string {
  let out = '';
  for (const block of doc.blocks) {
    // Blocks that are not translated are copied as they are, whatever `target` holds; the English
    // of a Markdown block never gains raw HTML or script links its source lacked.
    const english = doc.format === 'markdown' ? defuseActive(block.target, block.source) : block.target;
    out += block.marker + (block.translate ? english : block.source) + block.trailer;
  }
  return out;
}
