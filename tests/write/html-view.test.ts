import { describe, expect, it } from 'vitest';
import { htmlToPlain, plainView } from '../../src/write/html-view.js';
import type { TranslatedDocument } from '../../src/types.js';

describe('htmlToPlain', () => {
  it('drops tags, decodes references, keeps code text, <br> as a line break, whitespace collapsed', () => {
    expect(htmlToPlain('Presiden <b>Joko\n  Widodo</b> &amp; <code>make &lt;x&gt;</code><br/>Baris <!-- c -->dua')).toBe('Presiden Joko Widodo & make <x>\nBaris dua');
  });
});

describe('plainView', () => {
  it('keeps only translated blocks, without page furniture, sentence pairs intact', () => {
    const doc: TranslatedDocument = {
      source: { path: '/x.html', relPath: 'x.html', sha256: '0' },
      format: 'html',
      model: { id: 'm', dtype: 'q8', hash: '0', decoding: {} },
      blocks: [
        { kind: 'title', marker: '<html><head><title>', source: 'Judul', trailer: '</title></head><body><p>', translate: true, target: 'Title', segments: [{ source: 'Judul', target: 'Title', trailing: '' }] },
        {
          kind: 'list-item', marker: '', source: 'Satu <b>dua</b>. Tiga.', trailer: '</p><script>x</script>', translate: true, target: 'One <b>two</b>. Three.',
          segments: [{ source: 'Satu <b>dua</b>.', target: 'One <b>two</b>.', trailing: ' ' }, { source: 'Tiga.', target: 'Three.', trailing: '' }],
        },
      ],
    };
    const view = plainView(doc);
    expect(view.format).toBe('text');
    expect(view.blocks.map((b) => [b.kind, b.marker, b.source, b.target, b.trailer])).toEqual([
      ['title', '', 'Judul', 'Title', '\n\n'],
      ['list-item', '- ', 'Satu dua. Tiga.', 'One two. Three.', '\n\n'],
    ]);
    expect(view.blocks[1]!.segments.map((s) => [s.source, s.target, s.trailing])).toEqual([['Satu dua.', 'One two.', ' '], ['Tiga.', 'Three.', '']]);
  });
});
