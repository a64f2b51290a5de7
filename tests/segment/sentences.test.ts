import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/segment/sentences.js';
import { abbreviationKind } from '../../src/segment/abbreviations.js';
import { seededRandom } from '../../testmodel/seeded-random.js';
import { joinSpans, randomText, sampleTexts } from './helpers.js';

function sentences(text: string): string[] {
  return splitSentences(text).spans.map((s) => s.text);
}

/** Each case: input, expected sentences (written by hand). */
const CASES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['two plain sentences', 'Saya pergi ke pasar. Dia tinggal di rumah.', ['Saya pergi ke pasar.', 'Dia tinggal di rumah.']],
  ['dll. inside a sentence', 'Buah seperti apel, jeruk, dll. juga dijual di sana.', ['Buah seperti apel, jeruk, dll. juga dijual di sana.']],
  ['dll. closing a sentence', 'Ia membeli apel, jeruk, dll. Kemudian ia pulang.', ['Ia membeli apel, jeruk, dll.', 'Kemudian ia pulang.']],
  ['dsb. and dst.', 'Ada kursi, meja, dsb. di ruangan itu, dst. sampai habis.', ['Ada kursi, meja, dsb. di ruangan itu, dst. sampai habis.']],
  ['Dr. and dr.', 'Rapat dipimpin oleh Dr. Budi Santoso dan dr. Siti Rahma.', ['Rapat dipimpin oleh Dr. Budi Santoso dan dr. Siti Rahma.']],
  [
    'address abbreviations',
    'Kantornya di Jl. Merdeka No. 5, Kec. Gambir, Kab. Bogor, Prov. Jawa Barat. Buka setiap hari.',
    ['Kantornya di Jl. Merdeka No. 5, Kec. Gambir, Kab. Bogor, Prov. Jawa Barat.', 'Buka setiap hari.'],
  ],
  ['forms of address', 'Yth. Bpk. Ahmad dan Sdr. Joko hadir.', ['Yth. Bpk. Ahmad dan Sdr. Joko hadir.']],
  ['H. and Hj.', 'Hadir pula H. Agus Salim dan Hj. Siti Aminah.', ['Hadir pula H. Agus Salim dan Hj. Siti Aminah.']],
  [
    'degree closing a sentence',
    'Surat ditandatangani Budi Santoso, S.H., M.Si. Ia menjabat sejak 2019.',
    ['Surat ditandatangani Budi Santoso, S.H., M.Si.', 'Ia menjabat sejak 2019.'],
  ],
  ['chain of degrees', 'Pembicara: Budi, S.H. M.H. Ia hadir.', ['Pembicara: Budi, S.H. M.H.', 'Ia hadir.']],
  ['prefix titles and degrees', 'Gelar Drs. Ir. Prof. Ahmad, M.Sc., Ph.D. diakui.', ['Gelar Drs. Ir. Prof. Ahmad, M.Sc., Ph.D. diakui.']],
  [
    'Tbk. before a lower-case word',
    'Saham PT Astra International Tbk. naik 3,5 persen. Analis memperkirakan kenaikan berlanjut.',
    ['Saham PT Astra International Tbk. naik 3,5 persen.', 'Analis memperkirakan kenaikan berlanjut.'],
  ],
  ['St. before a name', 'Ia tinggal di St. Louis.', ['Ia tinggal di St. Louis.']],
  [
    'mis., a.n., u.p., tgl., hlm.',
    'Gunakan alat, mis. obeng. Transfer a.n. Budi, u.p. Bagian Keuangan, tgl. 5 Mei, lihat hlm. 12.',
    ['Gunakan alat, mis. obeng.', 'Transfer a.n. Budi, u.p. Bagian Keuangan, tgl. 5 Mei, lihat hlm. 12.'],
  ],
  ['dkk. and S.Kom.', 'Ditulis oleh Rina, S.Kom. dan Andi dkk. Bukunya laris.', ['Ditulis oleh Rina, S.Kom. dan Andi dkk.', 'Bukunya laris.']],
  ['capitalised list entry', 'Dll. adalah singkatan dari dan lain-lain.', ['Dll. adalah singkatan dari dan lain-lain.']],
  ['month abbreviation before a year', 'Rapat pada 10 Jan. 2022 berjalan lancar.', ['Rapat pada 10 Jan. 2022 berjalan lancar.']],
  [
    'amounts in rupiah',
    'Pendapatan mencapai Rp8,374 triliun pada 2021. Harga naik menjadi Rp1.200 per liter. Tarif Rp. 5.000 tetap.',
    ['Pendapatan mencapai Rp8,374 triliun pada 2021.', 'Harga naik menjadi Rp1.200 per liter.', 'Tarif Rp. 5.000 tetap.'],
  ],
  ['time of day', 'Rapat dimulai pukul 16.00 WIB. Semua peserta hadir pukul 15.30.', ['Rapat dimulai pukul 16.00 WIB.', 'Semua peserta hadir pukul 15.30.']],
  [
    'version and section numbers',
    'Versi 5.10.0-6 dirilis. Perbaikan dijelaskan di bagian 1.1.6 dokumen.',
    ['Versi 5.10.0-6 dirilis.', 'Perbaikan dijelaskan di bagian 1.1.6 dokumen.'],
  ],
  ['decimal comma', 'Inflasi turun 3,5 persen. Bank sentral puas.', ['Inflasi turun 3,5 persen.', 'Bank sentral puas.']],
  ['year closing a sentence', 'Ia lahir pada tahun 1998. Kemudian ia pindah.', ['Ia lahir pada tahun 1998.', 'Kemudian ia pindah.']],
  ['digit starting a sentence', 'Ia membeli tiga buah. 5 orang datang.', ['Ia membeli tiga buah.', '5 orang datang.']],
  [
    'URL closing a sentence',
    'Kunjungi https://www.contoh.co.id/berita/2021/12/index.html?id=5. Di sana ada berita.',
    ['Kunjungi https://www.contoh.co.id/berita/2021/12/index.html?id=5.', 'Di sana ada berita.'],
  ],
  [
    'e-mail addresses',
    'Kirim surat ke redaksi@kompas.co.id. Hubungi info@contoh.id atau admin@falcot.com untuk bantuan.',
    ['Kirim surat ke redaksi@kompas.co.id.', 'Hubungi info@contoh.id atau admin@falcot.com untuk bantuan.'],
  ],
  ['ellipsis then lower case', 'Dia menunggu… lalu pergi.', ['Dia menunggu… lalu pergi.']],
  ['three dots then capital', 'Dia menunggu... Kemudian dia pergi.', ['Dia menunggu...', 'Kemudian dia pergi.']],
  ['ellipsis then number', 'Dia menunggu... 5 menit lagi.', ['Dia menunggu... 5 menit lagi.']],
  ['ellipsis at the end', 'Suatu saat nanti…', ['Suatu saat nanti…']],
  [
    'curly quotes',
    '“Kami siap,” kata Lavrov. “Kami akan membela kepentingan nasional.” Ia menambahkan hal itu.',
    ['“Kami siap,” kata Lavrov.', '“Kami akan membela kepentingan nasional.”', 'Ia menambahkan hal itu.'],
  ],
  ['straight quotes', 'Ia berkata, "Saya pergi." Lalu ia keluar.', ['Ia berkata, "Saya pergi."', 'Lalu ia keluar.']],
  [
    'reporting clause after quoted question',
    '"Kapan kita berangkat?" tanya Budi. "Besok pagi!" jawab ibunya.',
    ['"Kapan kita berangkat?" tanya Budi.', '"Besok pagi!" jawab ibunya.'],
  ],
  ['reporting clause after quoted statement', '"Saya setuju." kata dia.', ['"Saya setuju." kata dia.']],
  [
    'lower case after a full stop splits',
    '"Ini yang kami lanjutkan dari sekarang ketika kami bersiap-siap. untuk negosiasi, pertama-tama."',
    ['"Ini yang kami lanjutkan dari sekarang ketika kami bersiap-siap.', 'untuk negosiasi, pertama-tama."'],
  ],
  ['! and ? combinations', 'Apa?! Tidak mungkin! Benarkah?? Ya.', ['Apa?!', 'Tidak mungkin!', 'Benarkah??', 'Ya.']],
  ['dotted initials', 'Buku karya J.K. Rowling laris. Penerbitnya senang.', ['Buku karya J.K. Rowling laris.', 'Penerbitnya senang.']],
  ['spaced initials', 'Novel karya J. K. Rowling laris.', ['Novel karya J. K. Rowling laris.']],
  ['numbered steps', '1. Buka ringkasan Aktivitas. 2. Klik Pengguna.', ['1. Buka ringkasan Aktivitas.', '2. Klik Pengguna.']],
  ['numbering after a colon', 'Langkahnya: 1. buka berkas.', ['Langkahnya: 1. buka berkas.']],
  ['section heading number', '9.9. Kuota', ['9.9. Kuota']],
  ['chapter heading', 'Bab 2. Menyajikan Studi Kasus', ['Bab 2. Menyajikan Studi Kasus']],
  ['lettered list item', 'a. Buka berkas.', ['a. Buka berkas.']],
  ['roman numeral list item', 'II. Metode Penelitian', ['II. Metode Penelitian']],
  ['unit abbreviation before a lower-case word', 'Beratnya 5 kg. dan tingginya 2 m.', ['Beratnya 5 kg. dan tingginya 2 m.']],
  ['closing bracket after the full stop', '(Lihat Bagian 6.2.5.) Setelah itu, lanjutkan.', ['(Lihat Bagian 6.2.5.)', 'Setelah itu, lanjutkan.']],
  [
    'full stop after a closing bracket',
    'Periksa (lihat Bagian 6.6, “Pemeriksaan Otentikasi Paket”). Arsip APT privat bermasalah.',
    ['Periksa (lihat Bagian 6.6, “Pemeriksaan Otentikasi Paket”).', 'Arsip APT privat bermasalah.'],
  ],
  ['Markdown strong emphasis', '**Penting.** Simpan berkas.', ['**Penting.**', 'Simpan berkas.']],
  ['file name ending a sentence', 'Gunakan Node.js. Lalu jalankan berkas Packages.gz. Selesai.', ['Gunakan Node.js.', 'Lalu jalankan berkas Packages.gz.', 'Selesai.']],
  ['semicolon does not split', '"Distribusi Linux" adalah sistem operasi penuh; biasanya termasuk kernel.', ['"Distribusi Linux" adalah sistem operasi penuh; biasanya termasuk kernel.']],
  ['no-break space after a title', 'Harga Rp.\u00a05.000 dibayar.', ['Harga Rp.\u00a05.000 dibayar.']],
  ['line break between sentences', 'Baris pertama.\nBaris kedua', ['Baris pertama.', 'Baris kedua']],
  ['line break inside a sentence', 'baris satu\nbaris dua', ['baris satu\nbaris dua']],
  ['line break before a numbered item', 'Lihat langkah berikut:\n1. Buka.\n2. Tutup', ['Lihat langkah berikut:', '1. Buka.', '2. Tutup']],
  ['line break before a bullet', 'Baca juga:\n- Berita satu\n- Berita dua', ['Baca juga:', '- Berita satu', '- Berita dua']],
  ['blank line always splits', 'Judul tanpa titik\n\nParagraf berikut.', ['Judul tanpa titik', 'Paragraf berikut.']],
  ['caseless script starts a sentence', 'Ia mengutip kalimat itu. 你好吗?', ['Ia mengutip kalimat itu.', '你好吗?']],
  ['Cyrillic capital starts a sentence', 'Ia mengutip Putin. Путин berkata.', ['Ia mengutip Putin.', 'Путин berkata.']],
];

describe('splitSentences: Indonesian cases', () => {
  it.each(CASES)('%s', (_name, input, expected) => {
    expect(sentences(input)).toEqual(expected);
  });
});

describe('splitSentences: whitespace', () => {
  it('returns leading whitespace and keeps trailing whitespace with each sentence', () => {
    expect(splitSentences('  Satu. Dua.  \n')).toEqual({
      leading: '  ',
      spans: [
        { text: 'Satu.', trailing: ' ' },
        { text: 'Dua.', trailing: '  \n' },
      ],
    });
  });

  it('returns no sentence for empty or whitespace-only text', () => {
    expect(splitSentences('')).toEqual({ leading: '', spans: [] });
    expect(splitSentences(' \n\t\u00a0')).toEqual({ leading: ' \n\t\u00a0', spans: [] });
  });

  it('keeps the blank line as the trailing of the sentence before it', () => {
    expect(splitSentences('Satu\n\nDua').spans).toEqual([
      { text: 'Satu', trailing: '\n\n' },
      { text: 'Dua', trailing: '' },
    ]);
  });

  it('never returns a sentence that starts or ends with whitespace', () => {
    const { spans } = splitSentences('  A b.  C d!\n\n E f?  ');
    for (const s of spans) {
      expect(s.text).toBe(s.text.trim());
      expect(s.text).not.toBe('');
      expect(s.trailing.trim()).toBe('');
    }
  });
});

describe('splitSentences: join property', () => {
  it.each(sampleTexts().map((s) => [s.name, s.text] as const))('%s', (_name, text) => {
    const { leading, spans } = splitSentences(text);
    expect(leading + joinSpans(spans)).toBe(text);
  });

  it('holds on 2,000 random strings', () => {
    const next = seededRandom(20240101);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(next);
      const { leading, spans } = splitSentences(text);
      expect(leading + joinSpans(spans), JSON.stringify(text)).toBe(text);
      for (const s of spans) expect(s.text.trim(), JSON.stringify(text)).toBe(s.text);
    }
  });

  it('does not split inside a URL or an e-mail address anywhere in the samples', () => {
    for (const { text } of sampleTexts()) {
      for (const s of splitSentences(text).spans) {
        for (const m of s.text.matchAll(/\S*(?:https?:\/\/|@)\S*/g)) expect(text).toContain(m[0]);
      }
    }
    const text = 'Lihat http://a.id/x?y=1!. Tulis ke a.b@c.id!';
    expect(sentences(text)).toEqual(['Lihat http://a.id/x?y=1!.', 'Tulis ke a.b@c.id!']);
  });
});

describe('abbreviations', () => {
  it('knows titles, sentence-closing abbreviations, and case-folds only lower-case entries', () => {
    expect(abbreviationKind('Dr.')).toBe('title');
    expect(abbreviationKind('dll.')).toBe('final');
    expect(abbreviationKind('DLL.')).toBe('final');
    expect(abbreviationKind('No.')).toBe('title');
    expect(abbreviationKind('no.')).toBeUndefined();
    expect(abbreviationKind('hal.')).toBeUndefined();
  });
});
