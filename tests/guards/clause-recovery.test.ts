import { describe, expect, it } from 'vitest';
import { fitClause, joinClauses, splitClauses } from '../../src/guards/clause-recovery.js';

/** One token per word plus the end token: close enough to the Marian tokenizer for cut choice. */
const countWords = (s: string): number => s.split(/\s+/u).filter(Boolean).length + 1;

describe('splitClauses', () => {
  it('cuts a long sentence at a comma near the middle, the comma staying with its clause', () => {
    expect(
      splitClauses('Pemerintah daerah membuka posko pengungsian di sekolah dan masjid, tetapi bantuan makanan belum tiba di beberapa lokasi.', countWords),
    ).toEqual({
      clauses: ['Pemerintah daerah membuka posko pengungsian di sekolah dan masjid,', 'tetapi bantuan makanan belum tiba di beberapa lokasi.'],
      separators: [' '],
    });
  });

  it('never cuts inside an HTML tag or a <code> element of a web page sentence', () => {
    const sentence =
      'Paket <code class="literal">getty</code>(8) dan <a class="ulink" href="http://x.id/a, b">modem pintar dari pabrik lama</a> dipasang, lalu layanan dijalankan ulang oleh admin.';
    const { clauses } = splitClauses(sentence, countWords);
    expect(clauses.length).toBeGreaterThan(1);
    for (const c of clauses) expect(c.split('<').length, c).toBe(c.split('>').length);
    expect(clauses.join(' ')).toBe(sentence);
  });

  it('does not split short sentences', () => {
    expect(splitClauses('Ya, saya akan datang besok.', countWords)).toEqual({ clauses: ['Ya, saya akan datang besok.'], separators: [] });
  });

  it('never cuts inside a code span', () => {
    const s = 'Jalankan perintah `git commit -m pesan, lalu push, lalu tag` agar semua perubahan tersimpan di server pusat hari ini juga.';
    const { clauses } = splitClauses(s, countWords);
    expect(clauses.length).toBeGreaterThan(1);
    for (const c of clauses) expect((c.match(/`/gu) ?? []).length % 2).toBe(0);
  });

  it('gives the sentence back when clauses and separators are joined untranslated', () => {
    const s = 'Menurut dia, harga naik: beras, gula, dan minyak goreng; namun pemerintah menjamin pasokan aman sehingga warga tenang.  ';
    const split = splitClauses(s, countWords);
    expect(split.clauses.length).toBeGreaterThan(1);
    let joined = '';
    split.clauses.forEach((c, i) => (joined += c + (split.separators[i] ?? '')));
    expect(joined).toBe(s);
  });
});

describe('fitClause', () => {
  it("replaces the model's full stop with the clause's own comma or semicolon", () => {
    expect(fitClause('Harga naik,', 'Prices rose.', false)).toBe('Prices rose,');
    expect(fitClause('Harga naik;', 'Prices rose', false)).toBe('Prices rose;');
    expect(fitClause('Harga naik,', 'Prices rose,', false)).toBe('Prices rose,');
  });

  it('drops a full stop the source clause did not have, but keeps the last clause as translated', () => {
    expect(fitClause('Harga naik', 'Prices rose.', false)).toBe('Prices rose');
    expect(fitClause('harga naik', 'Prices rose.', true)).toBe('Prices rose.');
  });

  it('lowers a capitalised function word where the source clause began in lower case', () => {
    expect(fitClause('tetapi harga naik.', 'But prices rose.', true)).toBe('but prices rose.');
    expect(fitClause('kata Jokowi.', 'Jokowi said.', true)).toBe('Jokowi said.');
    expect(fitClause('saya pergi.', 'I left.', true)).toBe('I left.');
    expect(fitClause('Tetapi harga naik.', 'But prices rose.', true)).toBe('But prices rose.');
  });
});

describe('joinClauses', () => {
  it('joins fitted translations with the source separators', () => {
    const split = { clauses: ['Harga naik,', 'tetapi gaji tetap.'], separators: [' '] };
    expect(joinClauses(split, ['Prices rose.', 'But wages stayed the same.'])).toBe('Prices rose, but wages stayed the same.');
  });
});
