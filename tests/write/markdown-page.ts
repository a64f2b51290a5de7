/**
 * A Markdown article parsed and segmented by the real parser and segmenter, with a word-by-word
 * "English" that keeps the markup (as frozen spans do), for the writers' Markdown tests.
 */
import { parseMarkdown } from '../../src/parse/markdown.js';
import { segmentBlock } from '../../src/segment/segment-block.js';
import type { TranslatedBlock, TranslatedDocument } from '../../src/types.js';

export const PAGE_INPUT = [
  '# Judul *penting*',
  '',
  'Paragraf dengan **tebal**, `kode`, dan [tautan](lain.md). Kalimat kedua.',
  '',
  '> Kutipan baris satu',
  '> lanjut baris dua.',
  '',
  '| Porta | Nama |',
  '|:--|--:|',
  '| 5353/udp | *mDNS* |',
  '| 22 | SSH |',
  '',
  '[jahat](javascript:alert(1)) ![gambar](data:image/png;base64,AAAA) <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>',
  '',
].join('\n');

const WORDS: Readonly<Record<string, string>> = {
  Judul: 'Title', penting: 'important', Paragraf: 'Paragraph', dengan: 'with', tebal: 'bold', kode: 'code',
  dan: 'and', tautan: 'link', Kalimat: 'Sentence', kedua: 'second', Kutipan: 'Quote', baris: 'line',
  satu: 'one', lanjut: 'continued', dua: 'two', Porta: 'Port', Nama: 'Name', jahat: 'evil', gambar: 'picture',
};

export function english(text: string): string {
  return text.replace(/\p{L}+/gu, (w) => WORDS[w] ?? w);
}

/** The model as a folder-loaded model reports it: its id is the folder's absolute path. */
export const FOLDER_MODEL = { id: '/home/someone/secret/models/tiny', dtype: 'q8', hash: '0123abcd', decoding: {} } as const;

export function pageDoc(input = PAGE_INPUT): TranslatedDocument {
  const blocks: TranslatedBlock[] = parseMarkdown(input).blocks.map((b) => {
    if (!b.translate) return { ...b, target: b.source, segments: [] };
    const plan = segmentBlock(b.source, { maxTokens: 200, countTokens: (s) => s.length / 4, markdown: true });
    const segments = plan.sentences.map((s) => ({ source: s.text, target: english(s.text), trailing: s.trailing }));
    return { ...b, target: plan.leading + segments.map((s) => s.target + s.trailing).join(''), segments };
  });
  return {
    source: { path: '/home/someone/secret/in/artikel.md', relPath: 'artikel.md', sha256: 'a'.repeat(64) },
    format: 'markdown',
    model: FOLDER_MODEL,
    blocks,
  };
}
