import { describe, expect, it } from 'vitest';
import { englishNumber, findNumbers, fixNumbers, readingKey } from '../../src/guards/numbers.js';

const values = (text: string, lang: 'id' | 'en'): Array<[string, string[]]> =>
  findNumbers(text, lang).map((n) => [n.text, n.readings.map(readingKey)]);

describe('findNumbers (Indonesian)', () => {
  it('reads dots before groups of three digits as thousands', () => {
    expect(values('Sebanyak 1.200 orang dan 1.200.000 suara', 'id')).toEqual([
      ['1.200', ['n:1200']],
      ['1.200.000', ['n:1200000']],
    ]);
  });

  it('reads a comma with one or two digits, or with dots before, as a decimal', () => {
    expect(values('tumbuh 3,5 persen', 'id')).toEqual([['3,5', ['n:3.5']]]);
    expect(values('Rp1.200,50', 'id')).toEqual([['1.200,50', ['n:1200.5']]]);
    expect(values('0,1234', 'id')).toEqual([['0,1234', ['n:0.1234']]]);
  });

  it('reads comma + three digits as decimal only with a currency or scale word, else keeps both readings', () => {
    expect(values('utang Rp8,374 triliun', 'id')).toEqual([['8,374', ['n:8.374', 'n:8374000000000']]]);
    expect(values('naik 2,125 persen', 'id')).toEqual([['2,125', ['n:2.125']]]);
    expect(values('sebanyak 1,200 unit', 'id')).toEqual([['1,200', ['n:1.2', 'n:1200']]]);
  });

  it('reads HH.MM after pukul as a time, and as time or decimal without context', () => {
    expect(values('pukul 16.00 WIB', 'id')).toEqual([['16.00', ['t:960']]]);
    expect(values('mulai 08.30 WIB', 'id')).toEqual([['08.30', ['t:510']]]);
    expect(values('skor 16.25', 'id')).toEqual([['16.25', ['t:985', 'n:16.25']]]);
  });

  it('adds the scaled value after ribu/juta/miliar/triliun', () => {
    expect(values('1,5 juta orang', 'id')).toEqual([['1,5', ['n:1.5', 'n:1500000']]]);
  });

  it('skips digits inside identifiers but keeps currency prefixes and suffixed ordinals', () => {
    expect(findNumbers('KTT G20 dan virus H5N1', 'id')).toEqual([]);
    expect(values('harga Rp5.000, urutan ke-3', 'id')).toEqual([
      ['5.000', ['n:5000']],
      ['3', ['n:3']],
    ]);
  });

  it('splits lists and versions into separate numbers', () => {
    expect(values('versi 3.5.1', 'id').map((v) => v[0])).toEqual(['3', '5', '1']);
  });

  it('reads slash dates by their year', () => {
    expect(values('pada 17/08/1945', 'id')).toEqual([['17/08/1945', ['n:1945']]]);
  });

  it('gives spans that point at the number', () => {
    const text = 'Dana Rp8,374 triliun';
    const [n] = findNumbers(text, 'id');
    expect(text.slice(n!.start, n!.end)).toBe('8,374');
  });
});

describe('findNumbers (English)', () => {
  it('reads commas as thousands and dots as decimals', () => {
    expect(values('1,200 people and 3.5 percent', 'en')).toEqual([
      ['1,200', ['n:1200']],
      ['3.5', ['n:3.5']],
    ]);
  });

  it('reads clock times with colon or a.m./p.m.', () => {
    expect(values('at 16:00', 'en')).toEqual([['16:00', ['t:960']]]);
    expect(values('at 4 p.m. local time', 'en')).toEqual([['4', ['t:960', 'n:4']]]);
    expect(values('at 4:30pm', 'en')).toEqual([['4:30', ['t:990']]]);
    expect(values('at 12 a.m.', 'en')).toEqual([['12', ['t:0', 'n:12']]]);
  });

  it('reads number words, ordinals and bare scale words', () => {
    expect(values('two people, the third time', 'en')).toEqual([
      ['two', ['n:2']],
      ['third', ['n:3']],
    ]);
    expect(values('twenty-five', 'en')).toEqual([['twenty-five', ['n:25']]]);
    expect(values('a million people', 'en')).toEqual([['million', ['n:1000000', 'n:1']]]);
  });
});

describe('englishNumber', () => {
  it.each([
    ['1.200', '1,200'],
    ['1.200.000', '1,200,000'],
    ['3,5', '3.5'],
    ['1.200,75', '1,200.75'],
    ['Rp8,374', 'Rp8.374'],
    ['Rp1.500', 'Rp1,500'],
    ['8,374 triliun', '8.374 triliun'],
    ['2024', '2024'],
    ['16:00', '16:00'],
  ])('%s → %s', (id, en) => {
    expect(englishNumber(id)).toBe(en);
  });

  it.each([['1,200'], ['16.00'], ['3.5'], ['1.2.3.4'], ['1.200 dan 3'], ['kata'], ['G20']])('%s is ambiguous or not a number → null', (id) => {
    expect(englishNumber(id)).toBeNull();
  });
});

describe('fixNumbers', () => {
  it('rewrites numbers the model copied in their Indonesian form', () => {
    expect(fixNumbers('Sebanyak 1.200 orang hadir.', 'A total of 1.200 people attended.')).toBe('A total of 1,200 people attended.');
    expect(fixNumbers('Ekonomi tumbuh 3,5 persen.', 'The economy grew 3,5 percent.')).toBe('The economy grew 3.5 percent.');
    expect(fixNumbers('Utang Rp8,374 triliun.', 'Debt of Rp8,374 trillion.')).toBe('Debt of Rp8.374 trillion.');
  });

  it('leaves numbers already written the English way and ambiguous ones alone', () => {
    expect(fixNumbers('Sebanyak 1.200 orang.', 'A total of 1,200 people.')).toBe('A total of 1,200 people.');
    expect(fixNumbers('Sebanyak 1,200 orang.', 'A total of 1,200 people.')).toBe('A total of 1,200 people.');
    expect(fixNumbers('pukul 16.00 WIB', 'at 16.00 WIB')).toBe('at 16.00 WIB');
  });

  it('never touches a target number that is not an exact copy of a source number', () => {
    expect(fixNumbers('Sebanyak 1.200 orang.', 'About 1.2 thousand and 11.200 people.')).toBe('About 1.2 thousand and 11.200 people.');
  });

  it('leaves digits inside URLs and code spans of the target alone', () => {
    expect(fixNumbers('Sebanyak 1.200 orang, lihat https://x.id/1.200/', 'A total of 1.200 people, see https://x.id/1.200/')).toBe(
      'A total of 1,200 people, see https://x.id/1.200/',
    );
  });

  it('rewrites every copy, keeping the rest of the text', () => {
    expect(fixNumbers('1.500 dan 2.500', '1.500 and 2.500, and 1.500 again')).toBe('1,500 and 2,500, and 1,500 again');
  });
});
