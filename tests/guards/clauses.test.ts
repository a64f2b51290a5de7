import { describe, expect, it } from 'vitest';
import { joinClauses, splitClauses } from '../../src/guards/clauses.js';

describe('splitClauses', () => {
  it('splits at , ; : followed by space, keeping them as separators', () => {
    expect(splitClauses('Presiden tiba di Jakarta, lalu rapat dengan menteri; rapat itu berlangsung lama.')).toEqual({
      clauses: ['Presiden tiba di Jakarta', 'lalu rapat dengan menteri', 'rapat itu berlangsung lama.'],
      separators: [', ', '; '],
    });
  });

  it('splits before conjunctions, which open the next clause', () => {
    expect(splitClauses('Harga beras naik tajam tetapi pasokan di pasar tetap aman.')).toEqual({
      clauses: ['Harga beras naik tajam', 'tetapi pasokan di pasar tetap aman.'],
      separators: [' '],
    });
  });

  it('keeps decimal commas, URLs and conjunctions inside words whole', () => {
    const s = 'Ekonomi tumbuh 3,5 persen menurut https://bps.go.id/a,b; Sementarawan bukan kata.';
    expect(splitClauses(s).clauses).toEqual(['Ekonomi tumbuh 3,5 persen menurut https://bps.go.id/a,b', 'Sementarawan bukan kata.']);
  });

  it('joins clauses too short to stand alone to a neighbour', () => {
    expect(splitClauses('Ya, saya akan datang besok pagi.')).toEqual({ clauses: ['Ya, saya akan datang besok pagi.'], separators: [] });
    expect(splitClauses('Ia datang ke kantor polisi, kemarin.')).toEqual({ clauses: ['Ia datang ke kantor polisi, kemarin.'], separators: [] });
  });

  it('gives the sentence back when clauses and separators are joined', () => {
    const s = 'Menurut dia, harga naik: beras, gula, dan minyak goreng; namun pemerintah menjamin pasokan aman sehingga warga tenang.';
    const { clauses, separators } = splitClauses(s);
    expect(clauses.length).toBeGreaterThan(2);
    expect(joinClauses(clauses, separators)).toBe(s);
  });
});
