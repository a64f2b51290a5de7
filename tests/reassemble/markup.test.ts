import { describe, expect, it } from 'vitest';
import { joinInlineMarkup, restoreMarkup } from '../../src/reassemble/markup.js';
import type { PlanPart } from '../../src/types.js';
import { partsFromRanges } from '../../src/segment/protect.js';
import { htmlFrozenRanges } from '../../src/segment/html-spans.js';

const id = (t: string): string => t;
function parts(html: string): PlanPart[] {
  const ranges = htmlFrozenRanges(html).sort((a, b) => a[0] - b[0]);
  return joinInlineMarkup(partsFromRanges(html, ranges), id);
}

describe('joinInlineMarkup', () => {
  it('joins text and paired inline tags into one part with bare placeholders', () => {
    const p = parts('Kata <a href="/x" class="y">tautan <b>tebal</b></a> akhir.');
    expect(p).toHaveLength(1);
    expect(p[0]!.unit).toBe('Kata <a>tautan <b>tebal</b></a> akhir.');
    expect(p[0]!.markup!.map((t) => t.text)).toEqual(['<a href="/x" class="y">', '<b>', '</b>', '</a>']);
  });

  it('takes a <br> or an inline image inside a sentence along as one placeholder each', () => {
    const [p] = parts('Jalan Merdeka 5<br/>Bandung <img src="/i.png" alt="peta"> utara');
    expect(p!.unit).toBe('Jalan Merdeka 5<br>Bandung <img> utara');
    expect(restoreMarkup('Merdeka Street 5<br>North <img> Bandung', p!.markup!, id)).toEqual({
      text: 'Merdeka Street 5<br/>North <img src="/i.png" alt="peta"> Bandung',
      moved: false,
    });
    const lost = restoreMarkup('Merdeka Street 5 Bandung north', p!.markup!, id);
    expect(lost.moved).toBe(true);
    expect([...lost.text.matchAll(/<[^>]*>/g)].map((m) => m[0])).toEqual(['<br/>', '<img src="/i.png" alt="peta">']);
  });

  it('leaves unpaired and non-inline tags frozen, so they split the text as before', () => {
    expect(parts('Awal <b>tebal dan terus').some((p) => p.markup !== undefined)).toBe(false);
    expect(parts('Kata <div>blok</div> lain').some((p) => p.markup !== undefined)).toBe(false);
  });
});

describe('restoreMarkup', () => {
  const [part] = parts('Presiden <b>Joko Widodo</b> berkata <a href="/z">hari ini</a>.');
  const markup = part!.markup!;
  const esc = (t: string): string => t.replace(/&/g, '&amp;').trim();

  it('puts each original tag at its placeholder, the k-th <b> for the k-th <b>', () => {
    expect(restoreMarkup('The <a>today</a> said <b>Joko Widodo</b> & co', markup, esc)).toEqual({
      text: 'The <a href="/z">today</a> said <b>Joko Widodo</b> &amp; co',
      moved: false,
    });
  });

  it('a dropped, extra or misordered placeholder: the words stay, the tags return in order at word edges', () => {
    for (const english of ['President Joko Widodo said today.', 'President </b>Joko<b> said <a>today</a>.', 'President <b>Joko <i>x</i> said today.']) {
      const r = restoreMarkup(english, markup, esc);
      expect(r.moved, english).toBe(true);
      expect([...r.text.matchAll(/<\/?[a-z][^>]*>/g)].map((m) => m[0])).toEqual(['<b>', '</b>', '<a href="/z">', '</a>']);
      expect(r.text.replace(/<[^>]*>/g, ''), english).toMatch(/President/);
      // Each element still holds at least one word.
      expect(r.text).toMatch(/<b>\S[^<]*<\/b>/);
      expect(r.text).toMatch(/<a href="\/z">\S[^<]*<\/a>/);
    }
  });

  it('prefers a clause edge next to the proportional place', () => {
    const [p] = parts('<b>Satu dua</b> tiga empat lima enam.');
    expect(restoreMarkup('One two, three four five six.', p!.markup!, id).text).toBe('<b>One two,</b> three four five six.');
  });
});
