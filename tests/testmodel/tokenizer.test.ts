/** The synthetic SentencePiece vocabulary and tokenizer files, through transformers.js' MarianTokenizer. */
import { MarianTokenizer } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../testmodel/presets.js';
import { buildTokenizerFiles, buildVocabulary } from '../../testmodel/tokenizer.js';

// Not from the generator's word list: a news paragraph in the style the tool translates.
const PARAGRAPH =
  'Pemerintah daerah menyiapkan bantuan bagi warga yang terdampak banjir di beberapa kecamatan. ' +
  'Kepala dinas sosial menyebutkan bahwa bantuan berupa beras, air bersih dan obat-obatan akan dikirim besok pagi.';

function tokenizerFor(vocabSize: number): MarianTokenizer {
  const files = buildTokenizerFiles(buildVocabulary(vocabSize));
  return new MarianTokenizer(files.tokenizerJson, files.tokenizerConfigJson);
}

function ids(tok: MarianTokenizer, text: string): number[] {
  return tok.encode(text);
}

describe('buildVocabulary', () => {
  it('puts "</s>" at 0, "<unk>" at 1 and "<pad>" last, with unique pieces', () => {
    const size = PRESETS.full.vocabSize;
    const vocab = buildVocabulary(size);
    expect(vocab).toHaveLength(54_796);
    expect(new Set(vocab).size).toBe(size);
    expect(vocab[0]).toBe('</s>');
    expect(vocab[1]).toBe('<unk>');
    expect(vocab[size - 1]).toBe('<pad>');
  });

  it('allows a very small vocabulary', () => {
    const vocab = buildVocabulary(8);
    expect(vocab).toHaveLength(8);
    expect(vocab.slice(0, 2)).toEqual(['</s>', '<unk>']);
    expect(vocab[7]).toBe('<pad>');
    expect(() => buildVocabulary(3)).toThrow(RangeError);
  });
});

describe('tokenizer files in transformers.js', () => {
  it('appends "</s>" and round-trips ordinary Indonesian text (full vocabulary)', () => {
    const tok = tokenizerFor(PRESETS.full.vocabSize);
    const encoded = ids(tok, PARAGRAPH);
    expect(encoded.at(-1)).toBe(0);
    expect(encoded).not.toContain(1);
    expect(tok.decode(encoded, { skip_special_tokens: true })).toBe(PARAGRAPH);
  });

  it('splits Indonesian into a realistic number of pieces per word (full vocabulary)', () => {
    const tok = tokenizerFor(PRESETS.full.vocabSize);
    const words = PARAGRAPH.split(/\s+/).length;
    const pieces = ids(tok, PARAGRAPH).length - 1;
    expect(pieces / words).toBeGreaterThanOrEqual(1.1);
    expect(pieces / words).toBeLessThanOrEqual(2.2);
  });

  it('covers every character of the text with the tiny vocabulary', () => {
    const tok = tokenizerFor(PRESETS.tiny.vocabSize);
    const encoded = ids(tok, PARAGRAPH);
    expect(encoded).not.toContain(1);
    expect(tok.decode(encoded, { skip_special_tokens: true })).toBe(PARAGRAPH);
  });

  it('maps most text to "<unk>" with an 8-piece vocabulary', () => {
    const tok = tokenizerFor(8);
    const encoded = ids(tok, PARAGRAPH);
    expect(encoded).toContain(1);
    expect(Math.max(...encoded)).toBeLessThan(7); // never "<pad>"
  });
});
