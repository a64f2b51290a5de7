import { describe, expect, it } from 'vitest';
import { hasTranslatableText, protectSpans, type ProtectedPart } from '../../src/segment/protect.js';
import { seededRandom } from '../../testmodel/seeded-random.js';
import { randomText, sampleTexts } from './helpers.js';

const T = (text: string): ProtectedPart => ({ text, frozen: false });
const F = (text: string): ProtectedPart => ({ text, frozen: true });
const plain = { markdown: false } as const;
const md = { markdown: true } as const;

describe('protectSpans: plain text', () => {
  it('leaves a sentence without special spans as one translatable part', () => {
    expect(protectSpans('Saya pergi ke pasar.', plain)).toEqual([T('Saya pergi ke pasar.')]);
  });

  it('freezes a URL without the full stop that ends the sentence, which is frozen as punctuation', () => {
    expect(protectSpans('Kunjungi https://kompas.id/baca/2021?x=1&y=2.', plain)).toEqual([
      T('Kunjungi'),
      F(' https://kompas.id/baca/2021?x=1&y=2.'),
    ]);
  });

  it('keeps balanced brackets in a URL and drops an unbalanced closing one', () => {
    expect(protectSpans('Baca https://id.wikipedia.org/wiki/Jawa_(pulau) sekarang', plain)).toEqual([
      T('Baca'),
      F(' https://id.wikipedia.org/wiki/Jawa_(pulau) '),
      T('sekarang'),
    ]);
    // Only whitespace moves into frozen neighbours; brackets stay with the words they enclose.
    expect(protectSpans('(lihat www.debian.org/doc) untuk rincian', plain)).toEqual([
      T('(lihat'),
      F(' www.debian.org/doc'),
      T(') untuk rincian'),
    ]);
  });

  it('freezes e-mail addresses, handles and hashtags', () => {
    expect(protectSpans('Kirim ke redaksi@kompas.co.id atau sapa @kompascom dengan #PemiluDamai sekarang.', plain)).toEqual([
      T('Kirim ke'),
      F(' redaksi@kompas.co.id '),
      T('atau sapa'),
      F(' @kompascom '),
      T('dengan'),
      F(' #PemiluDamai '),
      T('sekarang.'),
    ]);
  });

  it('does not take a number sign before digits for a hashtag', () => {
    expect(protectSpans('Ia peringkat #1 dunia.', plain)).toEqual([T('Ia peringkat #1 dunia.')]);
  });

  it('freezes keep terms case-sensitively and as whole words only', () => {
    const keep = ['Debian', 'GNU/Linux', 'C++'];
    expect(protectSpans('Debian GNU/Linux bukan debian, bukan Debianku, pakai C++ saja.', { markdown: false, keep })).toEqual([
      F('Debian GNU/Linux '),
      T('bukan debian, bukan Debianku, pakai'),
      F(' C++ '),
      T('saja.'),
    ]);
  });

  it('does not treat Markdown syntax specially in plain text', () => {
    expect(protectSpans('Perintah `ls` dan **tebal** saja.', plain)).toEqual([T('Perintah `ls` dan **tebal** saja.')]);
  });
});

describe('protectSpans: Markdown', () => {
  it('freezes inline code', () => {
    expect(protectSpans('Perintah `edquota -g kelompok` memungkinkan Anda.', md)).toEqual([
      T('Perintah'),
      F(' `edquota -g kelompok` '),
      T('memungkinkan Anda.'),
    ]);
  });

  it('matches a code span only with a backtick run of the same length', () => {
    expect(protectSpans('Pakai ``a ` b`` saja', md)).toEqual([T('Pakai'), F(' ``a ` b`` '), T('saja')]);
    expect(protectSpans('Tanda ` sendirian tetap teks.', md)).toEqual([T('Tanda ` sendirian tetap teks.')]);
  });

  it('splits a link into frozen syntax and translatable text', () => {
    expect(protectSpans('Ubah firewall untuk [memblokir atau mengizinkan](net-firewall-on-off.md) akses.', md)).toEqual([
      T('Ubah firewall untuk'),
      F(' ['),
      T('memblokir atau mengizinkan'),
      F('](net-firewall-on-off.md) '),
      T('akses.'),
    ]);
  });

  it('keeps the brackets of nested and shortcut link syntax whatever the model does', () => {
    // "![foo *bar*]" lost its "![" when the whole thing went to the model (CommonMark example 573).
    expect(protectSpans('![foo *bar*]', md)).toEqual([F('!['), T('foo'), F(' *'), T('bar'), F('*]')]);
    expect(protectSpans('[tautan [dalam [lagi]]](/uri "judul")', md)).toEqual([
      F('['), T('tautan'), F(' ['), T('dalam'), F(' ['), T('lagi'), F(']]](/uri "judul")'),
    ]);
  });

  it('freezes a shortcut or collapsed reference whose label is defined, since its text is the label', () => {
    const labels = new Set(['FOO BAR']);
    expect(protectSpans('Lihat [Foo  bar] dan [foo bar][] atau [lain].', { markdown: true, linkLabels: labels })).toEqual([
      T('Lihat'), F(' [Foo  bar] '), T('dan'), F(' [foo bar][] '), T('atau'), F(' ['), T('lain'), F('].'),
    ]);
  });

  it('handles images with titles and reference links', () => {
    expect(protectSpans('![Logo Debian](img/logo.png "judul")', md)).toEqual([
      F('!['),
      T('Logo Debian'),
      F('](img/logo.png "judul")'),
    ]);
    expect(protectSpans('Lihat [panduan kuota][kuota].', md)).toEqual([T('Lihat'), F(' ['), T('panduan kuota'), F('][kuota].')]);
  });

  it('freezes autolinks, HTML tags and entities', () => {
    expect(protectSpans('Buka <https://debian.org> lalu tekan <kbd>Ctrl</kbd>&nbsp;sekarang', md)).toEqual([
      T('Buka'),
      F(' <https://debian.org> '),
      T('lalu tekan'),
      F(' <kbd>'),
      T('Ctrl'),
      F('</kbd>&nbsp;'),
      T('sekarang'),
    ]);
  });

  it('freezes HTML comments, and leaves an unclosed one as text', () => {
    expect(protectSpans('Teks <!-- catatan: jangan diubah --> lanjut', md)).toEqual([
      T('Teks'),
      F(' <!-- catatan: jangan diubah --> '),
      T('lanjut'),
    ]);
    expect(protectSpans('Teks <!-- tanpa penutup', md)).toEqual([T('Teks <!-- tanpa penutup')]);
  });

  it('freezes emphasis markers at word boundaries', () => {
    expect(protectSpans('***LEBIH LANJUT* Menentukan kuota**', md)).toEqual([
      F('***'),
      T('LEBIH LANJUT'),
      F('* '),
      T('Menentukan kuota'),
      F('**'),
    ]);
    expect(protectSpans('Ini _penting_ sekali.', md)).toEqual([T('Ini'), F(' _'), T('penting'), F('_ '), T('sekali.')]);
  });

  it('freezes only paired emphasis markers, so globs and lone stars stay text', () => {
    expect(protectSpans('Jalankan *sudo apt update* lalu simpan.', md)).toEqual([
      T('Jalankan'),
      F(' *'),
      T('sudo apt update'),
      F('* '),
      T('lalu simpan.'),
    ]);
    expect(protectSpans('Berkas *.changes dan *.deb dipakai.', md)).toEqual([T('Berkas *.changes dan *.deb dipakai.')]);
    expect(protectSpans('Harga 5 * 3 = 15.', md)).toEqual([T('Harga 5 * 3 = 15.')]);
  });

  it('leaves underscores and asterisks inside words alone', () => {
    expect(protectSpans('parameter verify_sigs dan a*b tetap.', md)).toEqual([T('parameter verify_sigs dan a*b tetap.')]);
  });

  it('freezes hard-break and escaping backslashes', () => {
    expect(protectSpans('baris satu\\\nbaris \\*dua\\*', md)).toEqual([
      T('baris satu'),
      F('\\\n'),
      T('baris'),
      F(' \\*'),
      T('dua'),
      F('\\*'),
    ]);
  });
});

describe('protectSpans: properties', () => {
  function checkParts(sentence: string, parts: ProtectedPart[]): void {
    const label = JSON.stringify(sentence);
    expect(parts.map((p) => p.text).join(''), label).toBe(sentence);
    parts.forEach((p, i) => {
      expect(p.text, label).not.toBe('');
      if (i > 0) expect(p.frozen, label).not.toBe(parts[i - 1]!.frozen);
      if (!p.frozen) {
        expect(p.text, label).toBe(p.text.trim());
        expect(p.text, label).toMatch(/\p{L}/u);
      }
    });
  }

  it('holds on the sample paragraphs', () => {
    for (const { text, markdown } of sampleTexts()) checkParts(text, protectSpans(text, { markdown, keep: ['Debian'] }));
  });

  it('holds on 2,000 random strings in both modes', () => {
    const next = seededRandom(99);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(next);
      checkParts(text, protectSpans(text, { markdown: i % 2 === 0, keep: ['kata', 'Dia'] }));
    }
  });

  it('freezes stretches of only punctuation and digits; hasTranslatableText reports them', () => {
    const parts = protectSpans('https://a.id — https://b.id (2024).', md);
    expect(parts).toEqual([F('https://a.id — https://b.id (2024).')]);
    expect(hasTranslatableText(parts)).toBe(false);
    expect(hasTranslatableText(protectSpans('2024.', plain))).toBe(false);
    expect(hasTranslatableText(protectSpans('Lihat https://a.id', plain))).toBe(true);
    expect(hasTranslatableText([])).toBe(false);
  });
});
