/**
 * Hand-built translated documents with hostile text: markup, pipes, quotes, line breaks,
 * control characters, astral characters, flags and a failed segment.
 */
import type { ModelInfo, TranslatedBlock, TranslatedDocument } from '../../src/types.js';

export const MODEL: ModelInfo = {
  id: 'Xenova/opus-mt-id-en',
  dtype: 'q8',
  hash: 'abc123def456',
  // Deliberately not in alphabetical order: the JSON writer must sort it.
  decoding: { numBeams: 4, maxNewTokens: 256, earlyStopping: true, aPenalty: 'none' },
};

const BEL = '\u0007';

/** The plain-text input the text document's blocks were parsed from. */
export const TEXT_INPUT =
  'Banjir & "Hujan" <Jakarta>\n\n' +
  `Harga naik 5% | turun 3%. Kata 'dia': <script>window.__pwned=1</script>!\nBaris kedua${BEL} di sini.\n\n` +
  'Kalimat pertama. Kalimat gagal.\n\n' +
  'Kafé — naïve 日本語 😀 *tebal* _miring_ [tautan](x) `kode` \\ &amp;\n';

/** The English document the text document must give (marker + target + trailer). */
export const TEXT_ENGLISH =
  'Floods & "Rain" <Jakarta>\n\n' +
  `Prices rose 5% | fell 3%. He said 'she': <script>window.__pwned=2</script>!\nSecond line${BEL} here.\n\n` +
  'First sentence. \n\n' +
  'Café — naive 日本語 😀 *bold* _italic_ [link](x) `code` \\ &amp;\n';

const textBlocks: TranslatedBlock[] = [
  {
    kind: 'title',
    marker: '',
    source: 'Banjir & "Hujan" <Jakarta>',
    trailer: '\n\n',
    translate: true,
    target: 'Floods & "Rain" <Jakarta>',
    segments: [{ source: 'Banjir & "Hujan" <Jakarta>', target: 'Floods & "Rain" <Jakarta>', trailing: '' }],
  },
  {
    kind: 'paragraph',
    marker: '',
    source: `Harga naik 5% | turun 3%. Kata 'dia': <script>window.__pwned=1</script>!\nBaris kedua${BEL} di sini.`,
    trailer: '\n\n',
    translate: true,
    target: `Prices rose 5% | fell 3%. He said 'she': <script>window.__pwned=2</script>!\nSecond line${BEL} here.`,
    segments: [
      { source: 'Harga naik 5% | turun 3%.', target: 'Prices rose 5% | fell 3%.', trailing: ' ' },
      {
        source: `Kata 'dia': <script>window.__pwned=1</script>!\nBaris kedua${BEL} di sini.`,
        target: `He said 'she': <script>window.__pwned=2</script>!\nSecond line${BEL} here.`,
        trailing: '',
        flags: ['repetition'],
      },
    ],
  },
  {
    kind: 'paragraph',
    marker: '',
    source: 'Kalimat pertama. Kalimat gagal.',
    trailer: '\n\n',
    translate: true,
    target: 'First sentence. ',
    segments: [
      { source: 'Kalimat pertama.', target: 'First sentence.', trailing: ' ' },
      { source: 'Kalimat gagal.', target: '', trailing: '', error: 'model crashed <oops> | "bad"' },
    ],
  },
  {
    kind: 'paragraph',
    marker: '',
    source: 'Kafé — naïve 日本語 😀 *tebal* _miring_ [tautan](x) `kode` \\ &amp;',
    trailer: '\n',
    translate: true,
    target: 'Café — naive 日本語 😀 *bold* _italic_ [link](x) `code` \\ &amp;',
    segments: [
      {
        source: 'Kafé — naïve 日本語 😀 *tebal* _miring_ [tautan](x) `kode` \\ &amp;',
        target: 'Café — naive 日本語 😀 *bold* _italic_ [link](x) `code` \\ &amp;',
        trailing: '',
        flags: ['too-long', 'lost-span'],
      },
    ],
  },
];

export const TEXT_DOC: TranslatedDocument = {
  source: { path: '/home/u/in/berita/banjir.txt', relPath: 'berita/banjir.txt', sha256: 'f'.repeat(64) },
  format: 'text',
  model: MODEL,
  blocks: textBlocks,
};

export const MD_INPUT =
  '---\ntitle: "a | b"\n---\n\n' +
  '# Judul | utama\n\n' +
  '- Satu *dua*\n' +
  '  1. Tiga\n\n' +
  '> Kutipan.\n\n' +
  '```js\nconst a = b | c; // <x> `y` *z*\n  indented();\n```\n\n' +
  '---\n\n' +
  '## Sub\n\n' +
  'Akhir baris\\\nbaru.\n';

function copied(kind: TranslatedBlock['kind'], source: string, trailer: string): TranslatedBlock {
  return { kind, marker: '', source, trailer, translate: false, target: source, segments: [] };
}

function one(
  kind: TranslatedBlock['kind'],
  marker: string,
  source: string,
  target: string,
  trailer: string,
  level?: number,
): TranslatedBlock {
  return {
    kind,
    marker,
    source,
    trailer,
    translate: true,
    target,
    segments: [{ source, target, trailing: '' }],
    ...(level !== undefined ? { level } : {}),
  };
}

export const MD_DOC: TranslatedDocument = {
  source: { path: '/home/u/in/catatan.md', relPath: 'catatan.md', sha256: 'e'.repeat(64) },
  format: 'markdown',
  model: MODEL,
  blocks: [
    copied('front-matter', '---\ntitle: "a | b"\n---', '\n\n'),
    one('title', '# ', 'Judul | utama', 'Main | title', '\n\n', 1),
    one('list-item', '- ', 'Satu *dua*', 'One *two*', '\n'),
    one('list-item', '  1. ', 'Tiga', 'Three', '\n\n'),
    one('quote', '> ', 'Kutipan.', 'Quote.', '\n\n'),
    copied('code', '```js\nconst a = b | c; // <x> `y` *z*\n  indented();\n```', '\n\n'),
    copied('rule', '---', '\n\n'),
    one('heading', '## ', 'Sub', 'Sub', '\n\n', 2),
    one('paragraph', '', 'Akhir baris\\\nbaru.', 'End line\\\nnew.', '\n'),
  ],
};

export const MD_ENGLISH =
  '---\ntitle: "a | b"\n---\n\n' +
  '# Main | title\n\n' +
  '- One *two*\n' +
  '  1. Three\n\n' +
  '> Quote.\n\n' +
  '```js\nconst a = b | c; // <x> `y` *z*\n  indented();\n```\n\n' +
  '---\n\n' +
  '## Sub\n\n' +
  'End line\\\nnew.\n';
