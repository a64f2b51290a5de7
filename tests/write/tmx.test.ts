import { describe, expect, it } from 'vitest';
import { renderTmx } from '../../src/write/tmx.js';
import { MD_DOC, TEXT_DOC } from './fixtures.js';
import { findAll, parseXml } from './xml-check.js';

describe('xml checker (the test helper itself)', () => {
  it('rejects what is not well-formed', () => {
    const decl = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => parseXml(`${decl}<a><b></a></b>`)).toThrow(/mismatched/);
    expect(() => parseXml(`${decl}<a>x & y</a>`)).toThrow(/bare &/);
    expect(() => parseXml(`${decl}<a>\u0007</a>`)).toThrow(/forbidden/);
    expect(() => parseXml(`${decl}<a x='1'></a>`)).toThrow(/attribute/);
    expect(() => parseXml(`${decl}<a></a><b></b>`)).toThrow(/second root/);
    expect(parseXml(`${decl}<a k="&quot;">t&lt;</a>`).text).toBe('t<');
  });
});

describe('renderTmx', () => {
  const tmx = renderTmx(TEXT_DOC);
  const root = parseXml(tmx);

  it('is well-formed TMX 1.4 with the required header', () => {
    expect(root.name).toBe('tmx');
    expect(root.attrs.version).toBe('1.4');
    const header = findAll(root, 'header')[0]!;
    expect(header.attrs).toMatchObject({
      creationtool: 'dwibahasa',
      srclang: 'id',
      adminlang: 'en',
      datatype: 'plaintext',
      segtype: 'sentence',
      'o-tmf': 'dwibahasa',
    });
    expect(header.attrs.creationtoolversion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('has one <tu> per translated sentence pair, skipping failed ones', () => {
    const tus = findAll(root, 'tu');
    // 1 title + 2 in the first paragraph + 1 (the other failed) + 1.
    expect(tus).toHaveLength(5);
    for (const tu of tus) {
      const tuvs = tu.children.filter((c) => c.name === 'tuv');
      expect(tuvs.map((t) => t.attrs['xml:lang'])).toEqual(['id', 'en']);
    }
    expect(tmx).not.toContain('Kalimat gagal');
  });

  it('escapes markup and drops characters XML 1.0 forbids', () => {
    const tus = findAll(root, 'tu');
    const segs = tus[2]!.children.filter((c) => c.name === 'tuv').map((t) => findAll(t, 'seg')[0]!.text);
    expect(segs).toEqual([
      "Kata 'dia': <script>window.__pwned=1</script>!\nBaris kedua di sini.",
      "He said 'she': <script>window.__pwned=2</script>!\nSecond line here.",
    ]);
    expect(findAll(tus[0]!, 'seg')[0]!.text).toBe('Banjir & "Hujan" <Jakarta>');
    expect(findAll(tus[4]!, 'seg')[0]!.text).toContain('日本語 😀');
  });

  it('records flags as a prop before the variants', () => {
    const tus = findAll(root, 'tu');
    expect(tus[2]!.children[0]).toMatchObject({ name: 'prop', attrs: { type: 'x-dwibahasa-flags' }, text: 'repetition' });
    expect(tus[4]!.children[0]!.text).toBe('too-long,lost-span');
    expect(tus[1]!.children.some((c) => c.name === 'prop')).toBe(false);
  });

  it('leaves out blocks that are copied, not translated', () => {
    const md = parseXml(renderTmx(MD_DOC));
    const sources = findAll(md, 'tu').map((tu) => findAll(tu, 'seg')[0]!.text);
    expect(sources).toEqual(['Judul | utama', 'Satu *dua*', 'Tiga', 'Kutipan.', 'Sub', 'Akhir baris\\\nbaru.']);
  });
});
