import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseText } from '../../src/parse/text.js';
import { Rng } from '../../testmodel/seeded-random.js';
import { expectRoundTrip, kinds, sources } from './invariant.js';

const ARTICLES = join(import.meta.dirname, '../../samples/articles');
const sample = (name: string): string => readFileSync(join(ARTICLES, name), 'utf8');

describe('parseText on the sample articles', () => {
  for (const name of readdirSync(ARTICLES)) {
    it(`${name}: blocks tile the text exactly (the samples have no hard wraps)`, () => {
      const text = sample(name);
      const doc = parseText(text);
      expect(doc.format).toBe('text');
      expect(expectRoundTrip(doc, text)).toBe(0);
      expect(doc.blocks[0]!.kind).toBe('title');
      expect(kinds(doc).filter((k) => k === 'title')).toHaveLength(1);
    });
  }

  it('as-rusia-bertemu-10-januari.txt: title, paragraphs, "Baca juga:" label and its list', () => {
    const doc = parseText(sample('as-rusia-bertemu-10-januari.txt'));
    expect(kinds(doc)).toEqual([
      'title',
      ...Array(6).fill('paragraph'),
      'label',
      ...Array(4).fill('list-item'),
      'paragraph',
      'paragraph',
    ]);
    expect(doc.blocks[0]!.source).toBe(
      'Amerika Serikat - Rusia Bertemu 10 Januari, Menlu Lavrov: Kami akan Membela Kepentingan Nasional',
    );
    expect(doc.blocks[7]).toMatchObject({ kind: 'label', marker: '', source: 'Baca juga:', trailer: '\n', translate: true });
    expect(doc.blocks[8]).toMatchObject({
      marker: '- ',
      source: 'Peneliti Sebut Infeksi Varian Omicron Mampu Menyebabkan Kemampuan Reinfeksi Varian Delta Menurun',
    });
    expect(doc.blocks.at(-1)!.trailer).toBe(''); // the file has no final newline
  });

  it('02-studi-kasus-falcot-corp.txt: one paragraph per line and four "•" bullets', () => {
    const doc = parseText(sample('02-studi-kasus-falcot-corp.txt'));
    expect(doc.blocks).toHaveLength(13);
    const bullets = doc.blocks.filter((b) => b.kind === 'list-item');
    expect(bullets.map((b) => b.marker)).toEqual(['• ', '• ', '• ', '• ']);
    expect(bullets[0]!.source).toBe('infrastruktur yang mudah diperbesar dan modern;');
    expect(doc.blocks[3]).toMatchObject({ kind: 'paragraph', source: '2.1. Kebutuhan IT yang Bertumbuh Cepat' });
  });

  it('11-membuat-repositori-paket-apt.txt: command and config chunks are untranslated code', () => {
    const doc = parseText(sample('11-membuat-repositori-paket-apt.txt'));
    const code = doc.blocks.filter((b) => b.kind === 'code');
    expect(code.map((b) => b.source)).toEqual([
      'deb http://packages.falcot.com/ updates/\ndeb http://packages.falcot.com/ internal/',
      '$ cd /srv/vhosts/packages\n$ apt-ftparchive packages updates >updates/Packages\n$ gzip updates/Packages\n' +
        '$ apt-ftparchive packages internal >internal/Packages\n$ gzip internal/Packages',
      '[DEFAULT]\narchive_style = flat\narchivedir = /srv/vhosts/packages',
      'verify_sigs = 0\nmail_to = admin@falcot.com',
      'generate_release = 1\nrelease_origin = Falcot Corp\nrelease_codename = stable',
      '[updates]\nrelease_label = Recompiled Debian Packages',
      '[internal]\nrelease_label = Internal Packages',
    ]);
    expect(code.every((b) => !b.translate)).toBe(true);
    expect(kinds(doc).filter((k) => k === 'paragraph')).toHaveLength(16);
    // Sidebar titles stay paragraphs: translated, not mistaken for code.
    expect(sources(doc)).toContain('ALTERNATIVE apt-ftparchive, aptly, and reprepro');
  });

  it('26-memeriksa-ruang-disk.txt: blank-line paragraphs with "- " and "1. " lists', () => {
    const doc = parseText(sample('26-memeriksa-ruang-disk.txt'));
    expect(doc.blocks).toHaveLength(20);
    expect(doc.blocks.filter((b) => b.kind === 'list-item').map((b) => b.marker)).toEqual([
      '- ', '- ', '1. ', '2. ', '1. ', '2. ', '- ', '- ',
    ]);
    expect(doc.blocks[4]!.trailer).toBe('\n');
    expect(doc.blocks[5]!.trailer).toBe('\n\n');
  });

  it('21-mengubah-kata-sandi.txt and 36-status-baterai: "Lihat juga:" labels', () => {
    for (const name of ['21-mengubah-kata-sandi.txt', '36-status-baterai-sebagai-persentase.txt']) {
      const doc = parseText(sample(name));
      const label = doc.blocks.findIndex((b) => b.kind === 'label');
      expect(doc.blocks[label]!.source).toBe('Lihat juga:');
      expect(doc.blocks[label + 1]!.kind).toBe('list-item');
    }
  });
});

describe('parseText edge cases', () => {
  it('joins hard-wrapped lines of a blank-line paragraph with one space', () => {
    const text = 'Judul\n\nBaris satu yang\ndibungkus di sini.\n\nParagraf dua.\n';
    const doc = parseText(text);
    expect(sources(doc)).toEqual(['Judul', 'Baris satu yang dibungkus di sini.', 'Paragraf dua.']);
    expect(expectRoundTrip(doc, text)).toBe(1);
  });

  it('treats each line as a paragraph when the body has no blank lines', () => {
    const text = 'Judul\nKalimat pertama.\nKalimat kedua.\nKalimat ketiga.\n';
    const doc = parseText(text);
    expect(kinds(doc)).toEqual(['title', 'paragraph', 'paragraph', 'paragraph']);
    expect(expectRoundTrip(doc, text)).toBe(0);
  });

  it('a blank line only after the title still means one paragraph per line', () => {
    const text = 'Judul\n\nKalimat pertama yang panjang.\nKalimat kedua.\nKalimat ketiga.\n';
    expect(kinds(parseText(text))).toEqual(['title', 'paragraph', 'paragraph', 'paragraph']);
  });

  it('joins a plainly hard-wrapped body that has no blank lines', () => {
    const text = 'Judul\n\nIni adalah paragraf yang\ndibungkus pada lebar pendek\ndan terus berlanjut sampai\nselesai.\n';
    const doc = parseText(text);
    expect(sources(doc)).toEqual([
      'Judul',
      'Ini adalah paragraf yang dibungkus pada lebar pendek dan terus berlanjut sampai selesai.',
    ]);
    expect(expectRoundTrip(doc, text)).toBe(3);
  });

  it('keeps a title-only file', () => {
    for (const text of ['Judul saja', 'Judul saja\n', '\n\n  Judul saja  \n\n']) {
      const doc = parseText(text);
      expect(doc.blocks).toHaveLength(1);
      expect(doc.blocks[0]).toMatchObject({ kind: 'title', source: 'Judul saja' });
      expectRoundTrip(doc, text);
    }
    expect(parseText('\n\n  Judul saja  \n\n').blocks[0]).toMatchObject({ marker: '\n\n  ', trailer: '  \n\n' });
  });

  it('keeps trailing spaces and tabs in trailers and markers', () => {
    const text = 'Judul \t\nPara satu.   \n\tPara dua.\t\n';
    const doc = parseText(text);
    expect(doc.blocks.map((b) => [b.marker, b.source, b.trailer])).toEqual([
      ['', 'Judul', ' \t\n'],
      ['', 'Para satu.', '   \n'],
      ['\t', 'Para dua.', '\t\n'],
    ]);
  });

  it('splits list items out of a blank-line chunk, with every bullet style', () => {
    const text =
      'Judul\n\nPengantar daftar:\n- satu\n* dua\n• tiga\n1. empat\n2) lima\na. enam\nb) tujuh\n\nPenutup.\n';
    const doc = parseText(text);
    expect(doc.blocks.map((b) => [b.kind, b.marker, b.source])).toEqual([
      ['title', '', 'Judul'],
      ['label', '', 'Pengantar daftar:'],
      ['list-item', '- ', 'satu'],
      ['list-item', '* ', 'dua'],
      ['list-item', '• ', 'tiga'],
      ['list-item', '1. ', 'empat'],
      ['list-item', '2) ', 'lima'],
      ['list-item', 'a. ', 'enam'],
      ['list-item', 'b) ', 'tujuh'],
      ['paragraph', '', 'Penutup.'],
    ]);
    expect(expectRoundTrip(doc, text)).toBe(0);
  });

  it('joins a wrapped list item and keeps nested bullets with their indentation', () => {
    // With and without blank lines between paragraphs.
    for (const text of [
      'Judul\n\nPengantar.\n\n- butir pertama yang\n  panjang sekali\n  - sub butir\n- butir kedua\n',
      'Judul\nPengantar.\n- butir pertama yang\n  panjang sekali\n  - sub butir\n- butir kedua\n',
    ]) {
      const doc = parseText(text);
      expect(doc.blocks.map((b) => [b.marker, b.source])).toEqual([
        ['', 'Judul'],
        ['', 'Pengantar.'],
        ['- ', 'butir pertama yang   panjang sekali'],
        ['  - ', 'sub butir'],
        ['- ', 'butir kedua'],
      ]);
      expect(expectRoundTrip(doc, text)).toBe(1);
    }
  });

  it('does not split off the short last line of a wrapped paragraph as a label', () => {
    const text = 'Judul\n\nLangkah yang perlu dilakukan adalah sebagai\nberikut:\n\n- satu\n';
    const doc = parseText(text);
    expect(doc.blocks[1]).toMatchObject({ kind: 'paragraph', source: 'Langkah yang perlu dilakukan adalah sebagai berikut:' });
  });

  it('treats indented config lines as code, but not indented prose', () => {
    const text =
      'Judul\n\nIsi berkas:\n\n    [main]\n    key = value\n\n    Ini paragraf biasa yang kebetulan diindentasi.\n\nLanjut:\n\tdeb http://a.b/ c/\n';
    const doc = parseText(text);
    expect(doc.blocks.map((b) => [b.kind, b.translate])).toEqual([
      ['title', true],
      ['label', true],
      ['code', false],
      ['paragraph', true],
      ['label', true],
      ['code', false],
    ]);
    expect(doc.blocks[2]!.source).toBe('    [main]\n    key = value');
    expect(doc.blocks[5]!.source).toBe('\tdeb http://a.b/ c/');
    expect(expectRoundTrip(doc, text)).toBe(0);
  });

  it('finds shell sessions in files without blank lines', () => {
    const text = 'Judul\nJalankan perintah ini.\n$ sudo apt update\n$ sudo apt install foo\nSelesai.\n';
    const doc = parseText(text);
    expect(kinds(doc)).toEqual(['title', 'paragraph', 'code', 'paragraph']);
    expect(doc.blocks[2]!.source).toBe('$ sudo apt update\n$ sudo apt install foo');
  });

  it('handles input without blocks', () => {
    expect(parseText('').blocks).toEqual([]);
    const doc = parseText(' \n\t\n');
    expect(doc.blocks.every((b) => !b.translate)).toBe(true);
    expectRoundTrip(doc, ' \n\t\n');
  });

  it('holds the invariant for random mixes of tricky lines', () => {
    const pool = [
      '', '', 'Teks biasa.', 'kata lanjutan', '  terindentasi', '    kode = 1', '\tdeb http://a/ b/', '- butir', '  - anak',
      '1. satu', 'a) huruf', '• poin', 'Baca juga:', '$ ls -l', '[bagian]', 'kunci = nilai', '   ', 'akhir.  ', 'x\ty',
    ];
    const rng = new Rng(11);
    const random = (n: number): number => rng.below(n);
    for (let doc = 0; doc < 400; doc++) {
      const lines = Array.from({ length: 1 + random(14) }, () => pool[random(pool.length)]!);
      const text = lines.join('\n') + (random(2) === 0 ? '\n' : '');
      expectRoundTrip(parseText(text), text);
    }
  });

  it('parses 10,000 paragraphs', () => {
    const text = 'Judul\n\n' + Array.from({ length: 10_000 }, (_, k) => `Paragraf nomor ${k} yang\ndibungkus.`).join('\n\n') + '\n';
    const doc = parseText(text);
    expect(doc.blocks).toHaveLength(10_001);
    expect(doc.blocks[10_000]!.source).toBe('Paragraf nomor 9999 yang dibungkus.');
    expect(expectRoundTrip(doc, text)).toBe(10_000);
  });
});
