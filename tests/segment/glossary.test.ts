import { describe, expect, it } from 'vitest';
import { applyGlossary, findTerms } from '../../src/segment/glossary.js';
import type { PlanPart } from '../../src/types.js';

const GLOSSARY = {
  DPR: 'House of Representatives',
  KPK: 'Corruption Eradication Commission',
  Polri: 'National Police',
  BI: 'Bank Indonesia',
  'Bank Indonesia': 'Bank Indonesia',
  'Komisi Pemberantasan Korupsi': 'Corruption Eradication Commission',
  pemilu: 'election',
};

const free = (text: string): PlanPart => ({ text, frozen: false });

describe('findTerms', () => {
  it('matches whole words only', () => {
    expect(findTerms('DPRD dan DPR-nya', GLOSSARY).map((m) => m.term)).toEqual(['DPR']);
    expect(findTerms('BIaya dan ABI', GLOSSARY)).toEqual([]);
  });

  it('matches terms with capitals case-sensitively', () => {
    expect(findTerms('dpr, kpk dan POLRI', GLOSSARY)).toEqual([]);
  });

  it('matches lower-case terms in any case and capitalises their English at a capital', () => {
    expect(findTerms('Pemilu dan pemilu', GLOSSARY).map((m) => m.target)).toEqual(['Election', 'election']);
  });

  it('prefers the longest term at a position', () => {
    const [m] = findTerms('Gubernur Bank Indonesia berkata', GLOSSARY);
    expect(m).toMatchObject({ term: 'Bank Indonesia', start: 9, end: 23 });
  });

  it('falls back to a shorter term when the longer one fails its case rule', () => {
    const g = { 'Bank Dunia': 'World Bank', bank: 'bank' };
    expect(findTerms('bank dunia', g).map((m) => m.term)).toEqual(['bank']);
  });

  it('matches a multi-word term across a line wrap', () => {
    expect(findTerms('Komisi Pemberantasan\nKorupsi', GLOSSARY).map((m) => m.target)).toEqual(['Corruption Eradication Commission']);
  });
});

describe('applyGlossary', () => {
  it('splits translatable parts at terms, with whitespace frozen next to the term', () => {
    expect(applyGlossary([free('Ketua DPR menolak usulan itu')], GLOSSARY)).toEqual([
      { text: 'Ketua', frozen: false },
      { text: ' DPR ', frozen: true, target: ' House of Representatives ' },
      { text: 'menolak usulan itu', frozen: false },
    ]);
  });

  it('freezes keep terms without a target', () => {
    expect(applyGlossary([free('Saya memakai GoPay setiap hari')], {}, ['GoPay'])).toEqual([
      { text: 'Saya memakai', frozen: false },
      { text: ' GoPay ', frozen: true },
      { text: 'setiap hari', frozen: false },
    ]);
  });

  it('joins adjacent frozen parts, building the target from texts and targets', () => {
    const parts: PlanPart[] = [free('Laporan'), { text: ' https://x.id ', frozen: true }, free('KPK dan Polri')];
    expect(applyGlossary(parts, GLOSSARY)).toEqual([
      { text: 'Laporan', frozen: false },
      { text: ' https://x.id KPK ', frozen: true, target: ' https://x.id Corruption Eradication Commission ' },
      { text: 'dan', frozen: false },
      { text: ' Polri', frozen: true, target: ' National Police' },
    ]);
  });

  it('freezes letterless stretches between terms', () => {
    const out = applyGlossary([free('KPK, Polri')], GLOSSARY);
    expect(out).toEqual([{ text: 'KPK, Polri', frozen: true, target: 'Corruption Eradication Commission, National Police' }]);
  });

  it('keeps frozen input parts untouched, even when they contain a term', () => {
    const parts: PlanPart[] = [free('Lihat'), { text: ' `DPR` ', frozen: true }, free('sekarang')];
    expect(applyGlossary(parts, GLOSSARY)).toEqual(parts);
  });

  it('keeps the parts joining to the sentence', () => {
    const sentence = 'Pemilu 2024: DPR, KPK dan Bank Indonesia sepakat.';
    const out = applyGlossary([free(sentence)], GLOSSARY);
    expect(out.map((p) => p.text).join('')).toBe(sentence);
    for (const p of out) if (!p.frozen) expect(p.text).toBe(p.text.trim());
    for (let i = 1; i < out.length; i++) expect(out[i]!.frozen).not.toBe(out[i - 1]!.frozen);
  });

  it('returns the parts unchanged with an empty glossary', () => {
    expect(applyGlossary([free('Tidak ada istilah')], {})).toEqual([free('Tidak ada istilah')]);
  });
});
