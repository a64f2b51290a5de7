import { describe, expect, it } from 'vitest';
import { segmentBlock, type SegmentPlan } from '../../src/segment/segment-block.js';
import { seededRandom } from '../../testmodel/seeded-random.js';
import { charCounter, randomText, sampleTexts, wordCounter } from './helpers.js';

function checkPlan(source: string, plan: SegmentPlan, maxTokens: number, count: (s: string) => number): void {
  const label = JSON.stringify(source.slice(0, 200));
  expect(plan.leading + plan.sentences.map((s) => s.text + s.trailing).join(''), label).toBe(source);
  for (const s of plan.sentences) {
    expect(s.parts.map((p) => p.text).join(''), label).toBe(s.text);
    for (const p of s.parts) if (!p.frozen) expect(count(p.text), label).toBeLessThanOrEqual(maxTokens);
  }
}

describe('segmentBlock', () => {
  it('cuts glossary terms out as frozen parts with their English, after the protected spans', () => {
    const plan = segmentBlock('Ketua DPR membuka rapat di https://dpr.go.id hari ini.', {
      maxTokens: 50,
      countTokens: wordCounter,
      markdown: false,
      glossary: { DPR: 'House of Representatives' },
    });
    expect(plan.sentences.map((s) => s.parts)).toEqual([
      [
        { text: 'Ketua', frozen: false },
        { text: ' DPR ', frozen: true, target: ' House of Representatives ' },
        { text: 'membuka rapat di', frozen: false },
        { text: ' https://dpr.go.id ', frozen: true },
        { text: 'hari ini.', frozen: false },
      ],
    ]);
  });

  it('splits sentences and marks frozen spans', () => {
    const source = '  Saya pergi. Lihat https://x.id sekarang.\n';
    expect(segmentBlock(source, { maxTokens: 50, countTokens: wordCounter, markdown: false })).toEqual({
      leading: '  ',
      sentences: [
        { text: 'Saya pergi.', trailing: ' ', parts: [{ text: 'Saya pergi.', frozen: false }] },
        {
          text: 'Lihat https://x.id sekarang.',
          trailing: '\n',
          parts: [
            { text: 'Lihat', frozen: false },
            { text: ' https://x.id ', frozen: true },
            { text: 'sekarang.', frozen: false },
          ],
        },
      ],
    });
  });

  it('splits a sentence that is too long into clauses, the last keeping the sentence trailing', () => {
    const source = 'Rusia akan membela kepentingannya; Amerika Serikat menolak usulan itu. Selesai.';
    const plan = segmentBlock(source, { maxTokens: 8, countTokens: wordCounter, markdown: false });
    expect(plan.sentences.map((s) => [s.text, s.trailing])).toEqual([
      ['Rusia akan membela kepentingannya;', ' '],
      ['Amerika Serikat menolak usulan itu.', ' '],
      ['Selesai.', ''],
    ]);
  });

  it('never cuts a frozen span, even one longer than the limit, and keeps it frozen', () => {
    const url = `https://contoh.id/${'a'.repeat(3000)}`;
    const source = `Unduh berkas dari ${url} lalu pasang paket itu dengan perintah yang tersedia.`;
    const plan = segmentBlock(source, { maxTokens: 5, countTokens: charCounter, markdown: true });
    checkPlan(source, plan, 5, charCounter);
    const holder = plan.sentences.find((s) => s.text.includes(url));
    expect(holder?.parts.some((p) => p.frozen && p.text.includes(url))).toBe(true);
  });

  it('keeps a Markdown link intact when its sentence is split', () => {
    const source =
      'Anda dapat mengubah firewall sistem Anda untuk [memblokir atau mengizinkan](net-firewall-on-off.md) akses ke aplikasi ini, jadi tabel ini tidak lengkap.';
    const plan = segmentBlock(source, { maxTokens: 6, countTokens: wordCounter, markdown: true });
    checkPlan(source, plan, 6, wordCounter);
    const frozen = plan.sentences.flatMap((s) => s.parts.filter((p) => p.frozen).map((p) => p.text.trim()));
    expect(frozen).toContain('](net-firewall-on-off.md)');
  });

  it('cuts a translatable part further when the counter finds it too long on its own', () => {
    // A counter that finds the whole sentence short (the link syntax "discounts" it) but its text part long.
    const count = (s: string): number => wordCounter(s) - 20 * (s.split('](').length - 1);
    const source = '[satu dua tiga empat lima enam tujuh delapan](u)';
    const plan = segmentBlock(source, { maxTokens: 6, countTokens: count, markdown: true });
    checkPlan(source, plan, 6, count);
    expect(plan.sentences).toHaveLength(1);
    expect(plan.sentences[0]!.parts).toEqual([
      { text: '[', frozen: true },
      { text: 'satu dua tiga empat', frozen: false },
      { text: ' ', frozen: true },
      { text: 'lima enam tujuh delapan', frozen: false },
      { text: '](u)', frozen: true },
    ]);
  });

  it('segments a 500 kB Markdown paragraph full of frozen spans without losing a character', () => {
    const source = 'Lihat https://a.id/x dan `kode` serta [teks](u) **tebal**, lalu a@b.id; '.repeat(7000);
    const plan = segmentBlock(source, { maxTokens: 20, countTokens: wordCounter, markdown: true });
    checkPlan(source, plan, 20, wordCounter);
    const frozen = plan.sentences.flatMap((s) => s.parts.filter((p) => p.frozen).map((p) => p.text)).join('');
    expect(frozen.split('https://a.id/x')).toHaveLength(7001);
  });

  it('returns no sentence for whitespace', () => {
    expect(segmentBlock(' \n', { maxTokens: 5, countTokens: wordCounter, markdown: false })).toEqual({ leading: ' \n', sentences: [] });
  });

  it('keeps its invariants on the samples and on random strings', () => {
    for (const { text, markdown } of sampleTexts()) {
      checkPlan(text, segmentBlock(text, { maxTokens: 12, countTokens: wordCounter, markdown }), 12, wordCounter);
    }
    const next = seededRandom(5);
    for (let i = 0; i < 500; i++) {
      const text = randomText(next, 60);
      const max = 1 + Math.floor(next() * 8);
      const plan = segmentBlock(text, { maxTokens: max, countTokens: charCounter, markdown: i % 2 === 0, keep: ['Dia'] });
      checkPlan(text, plan, max, charCounter);
    }
  });
});

describe('segmentBlock: quote prefixes of Markdown continuation lines', () => {
  const opts = { maxTokens: 200, countTokens: (s: string) => s.length / 4, markdown: true };

  it('puts a prefix between sentences into the gap, and one inside a sentence out of the model text', async () => {
    const { unitsOf } = await import('../../src/reassemble/reassemble.js');
    const plan = segmentBlock('Kalimat satu.\n> Kalimat dua\n> lanjut.', opts);
    expect(plan.sentences.map((s) => [s.text, s.trailing])).toEqual([
      ['Kalimat satu.', '\n> '],
      ['Kalimat dua\n> lanjut.', ''],
    ]);
    expect(unitsOf(plan)).toEqual(['Kalimat satu.', 'Kalimat dua lanjut.']);
  });

  it('freezes a prefix after inline code instead of sending ">" to the model', async () => {
    const { unitsOf } = await import('../../src/reassemble/reassemble.js');
    const plan = segmentBlock('Pakai `ls`\n> lalu tekan Enter.', opts);
    expect(unitsOf(plan)).toEqual(['Pakai', 'lalu tekan Enter.']);
    expect(plan.sentences.flatMap((s) => s.parts.map((p) => p.text)).join('')).toBe('Pakai `ls`\n> lalu tekan Enter.');
  });
});
