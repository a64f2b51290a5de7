import { describe, expect, it } from 'vitest';
import {
  bigramSimilarity,
  checkTranslation,
  hasRepetition,
  isUntranslated,
  lengthFlag,
  lostSpans,
  repetitionScore,
  type CheckOptions,
} from '../../src/guards/checks.js';

const OPTS: CheckOptions = {
  minLengthRatio: 0.5,
  maxLengthRatio: 2.5,
  maxRepeats: 3,
  copySimilarity: 0.9,
  glossary: { DPR: 'House of Representatives', KPK: 'Corruption Eradication Commission' },
  keep: ['GoPay'],
};

describe('repetition', () => {
  it('flags a word or phrase looping back to back', () => {
    expect(hasRepetition('Saya minta maaf atas kejadian itu.', "I'm sorry I'm sorry I'm sorry I'm sorry", 3)).toBe(true);
    expect(hasRepetition('Ia berkata tidak.', 'He said no no no no no.', 3)).toBe(true);
  });

  it('flags a phrase repeated in a short window with words between', () => {
    expect(hasRepetition('Mereka meminta maaf kepada warga.', "I'm sorry, I'm sorry and I'm sorry to the residents.", 3)).toBe(true);
    expect(hasRepetition('x', 'the new policy, the new policy, the new policy, the new policy', 3)).toBe(true);
  });

  it('does not flag repetition the source has too', () => {
    expect(hasRepetition('Hidup! Hidup! Hidup!', 'Long live! Long live! Long live!', 3)).toBe(false);
  });

  it('does not flag ordinary prose with repeated function words', () => {
    expect(
      hasRepetition(
        'Kepala dinas dari kementerian dari provinsi itu datang.',
        'The head of the office of the ministry of the province of the region came.',
        3,
      ),
    ).toBe(false);
    expect(hasRepetition('Ia pergi lalu pulang.', 'He went and then he came home and he slept.', 3)).toBe(false);
  });

  it('scores the longest back-to-back run', () => {
    expect(repetitionScore('a b a b a b c')).toBe(3);
    expect(repetitionScore('one two three four')).toBe(1);
  });
});

describe('length', () => {
  const source = 'Pemerintah akan membangun jalan baru di wilayah timur tahun depan.';

  it('flags a target far shorter than its source as too-short', () => {
    expect(lengthFlag(source, 'The government.', OPTS)).toBe('too-short');
    expect(lengthFlag(source, '', OPTS)).toBe('too-short');
  });

  it('flags a target far longer than its source as too-long', () => {
    expect(lengthFlag(source, 'The government will build new roads in the eastern region next year. '.repeat(3), OPTS)).toBe('too-long');
  });

  it('accepts an ordinary translation', () => {
    expect(lengthFlag(source, 'The government will build new roads in the eastern region next year.', OPTS)).toBeNull();
  });

  it('ignores short segments', () => {
    expect(lengthFlag('Ya, benar.', 'Yes, that is absolutely right, without any doubt.', OPTS)).toBeNull();
    expect(lengthFlag('Baik sekali', 'Fine', OPTS)).toBeNull();
  });

  it('does not count frozen spans and glossary terms', () => {
    // Without the URL both sides are short, so the ratio is not judged at all.
    expect(lengthFlag('Baca di https://example.com/a/very/long/path/to/article', 'Read at https://example.com/a/very/long/path/to/article', OPTS)).toBeNull();
    // "DPR" → "House of Representatives" must not make the target too long.
    expect(lengthFlag('DPR setuju', 'House of Representatives agrees', OPTS)).toBeNull();
    // A long URL kept in a target that dropped the sentence does not hide the omission.
    expect(
      lengthFlag(
        'Menurut laporan lengkap di https://example.com/laporan-tahunan-2024 pemerintah menambah anggaran pendidikan.',
        'According to https://example.com/laporan-tahunan-2024',
        OPTS,
      ),
    ).toBe('too-short');
  });
});

describe('untranslated', () => {
  const source = 'Pemerintah akan membangun jalan baru di wilayah timur tahun depan.';

  it('flags the source copied, or copied with small changes', () => {
    expect(isUntranslated(source, source, OPTS)).toBe(true);
    expect(isUntranslated(source, 'Pemerintah akan membangun jalan baru di wilayah timur tahun depan', OPTS)).toBe(true);
  });

  it('accepts a real translation', () => {
    expect(isUntranslated(source, 'The government will build new roads in the eastern region next year.', OPTS)).toBe(false);
  });

  it('ignores segments that are mostly names, numbers or URLs', () => {
    expect(isUntranslated('Joko Widodo dan Prabowo Subianto', 'Joko Widodo dan Prabowo Subianto', OPTS)).toBe(false);
    expect(isUntranslated('Jakarta, 12 Mei 2024', 'Jakarta, 12 Mei 2024', OPTS)).toBe(false);
    expect(isUntranslated('https://example.com/berita/hari-ini', 'https://example.com/berita/hari-ini', OPTS)).toBe(false);
  });

  it('accepts an English quote in the source copied as it is', () => {
    const quote = 'We will not give up on the people of this country.';
    expect(isUntranslated(quote, quote, OPTS)).toBe(false);
  });

  it('measures similarity with character bigrams', () => {
    expect(bigramSimilarity('night', 'nacht')).toBeCloseTo(0.25);
    expect(bigramSimilarity('abc', 'abc')).toBe(1);
    expect(bigramSimilarity('ab', 'cd')).toBe(0);
  });
});

describe('lost spans', () => {
  it('reports URLs, e-mail addresses, handles, hashtags and code spans missing from the target', () => {
    const source = 'Hubungi humas@kpk.go.id atau @KPK_RI, lihat https://kpk.go.id/berita. Tagar #BersihkanKorupsi dan `npm run`.';
    const good = 'Contact humas@kpk.go.id or @KPK_RI, see https://kpk.go.id/berita. Hashtag #BersihkanKorupsi and `npm run`.';
    expect(lostSpans(source, good, OPTS)).toEqual([]);
    const bad = 'Contact public relations or KPK, see the website. Hashtag #CleanCorruption and npm run.';
    expect(lostSpans(source, bad, OPTS).sort()).toEqual(
      ['#BersihkanKorupsi', '@KPK_RI', '`npm run`', 'https://kpk.go.id/berita', 'humas@kpk.go.id'].sort(),
    );
  });

  it('reports glossary terms whose English is missing, and keep terms changed', () => {
    expect(lostSpans('DPR memanggil KPK.', 'The House of Representatives summoned the corruption eradication commission.', OPTS)).toEqual([]);
    expect(lostSpans('DPR memanggil KPK.', 'Parliament summoned the KPK.', OPTS)).toEqual(['DPR', 'KPK']);
    expect(lostSpans('Bayar dengan GoPay.', 'Pay with Go Pay.', OPTS)).toEqual(['GoPay']);
  });

  it.each([
    ['Sebanyak 1.200 orang hadir.', 'A total of 1,200 people attended.'],
    ['Sebanyak 1.200 orang hadir.', 'A total of 1200 people attended.'],
    ['Sebanyak 1.200 orang hadir.', 'A total of 1.200 people attended.'],
    ['Ekonomi tumbuh 3,5 persen.', 'The economy grew 3.5 percent.'],
    ['Ekonomi tumbuh 3,5 persen.', 'The economy grew 3.5%.'],
    ['Utang Rp8,374 triliun.', 'Debt of Rp8.374 trillion.'],
    ['Utang Rp8,374 triliun.', 'Debt of 8,374 trillion rupiah.'],
    ['Rapat pukul 16.00 WIB.', 'The meeting is at 16:00 WIB.'],
    ['Rapat pukul 16.00 WIB.', 'The meeting is at 4 p.m. WIB.'],
    ['Rapat pukul 16.00 WIB.', 'The meeting is at 16.00 WIB.'],
    ['Pada 2024 ada 50 persen.', 'In 2024 there were 50 percent.'],
    ['Ia juara ke-3.', 'He came 3rd.'],
    ['Ia juara ke-3.', 'He came third.'],
    ['Ada 2 orang.', 'There were two people.'],
    ['Harganya 1,5 juta.', 'The price is 1.5 million.'],
    ['Harganya 1,5 juta.', 'The price is 1,500,000.'],
    ['Harganya Rp1 juta.', 'The price is a million rupiah.'],
    ['Lahir 17/08/1945.', 'Born on August 17, 1945.'],
    ['Kasus COVID-19 naik.', 'COVID-19 cases rose.'],
  ])('accepts the same value written another way: %s → %s', (source, target) => {
    expect(lostSpans(source, target, OPTS)).toEqual([]);
  });

  it.each([
    ['Sebanyak 1.200 orang hadir.', 'A total of 1.2 people attended.', '1.200'],
    ['Sebanyak 1.200 orang hadir.', 'A total of 200 people attended.', '1.200'],
    ['Ekonomi tumbuh 3,5 persen.', 'The economy grew 35 percent.', '3,5'],
    ['Pada tahun 2024.', 'In 2023.', '2024'],
    ['Rapat pukul 16.00 WIB.', 'The meeting is at 6 p.m. WIB.', '16.00'],
    ['Ada 12 korban dan 3 rumah.', 'There were 12 victims and houses.', '3'],
  ])('reports a changed or dropped number: %s → %s', (source, target, lost) => {
    expect(lostSpans(source, target, OPTS)).toEqual([lost]);
  });

  it('does not count numbers inside URLs as numbers of their own', () => {
    expect(lostSpans('Lihat https://x.id/2024/05 sekarang.', 'See https://x.id/2024/05 now.', OPTS)).toEqual([]);
  });
});

describe('checkTranslation', () => {
  it('returns no flags for a good translation', () => {
    expect(
      checkTranslation(
        'Sebanyak 1.200 warga Jakarta mengungsi akibat banjir pada Senin pukul 16.00 WIB.',
        'A total of 1,200 Jakarta residents were evacuated due to flooding on Monday at 4 p.m. WIB.',
        OPTS,
      ),
    ).toEqual([]);
  });

  it('returns every flag that applies, in a fixed order', () => {
    const source = 'Sebanyak 1.200 warga Jakarta mengungsi akibat banjir pada Senin sore.';
    expect(checkTranslation(source, "I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry", OPTS)).toEqual([
      'repetition',
      'lost-span',
    ]);
    expect(checkTranslation(source, 'A total of residents.', OPTS)).toEqual(['too-short', 'lost-span']);
    expect(checkTranslation(source, source, OPTS)).toEqual(['untranslated']);
  });
});
