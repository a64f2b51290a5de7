/** Shared helpers for the segment tests: sample paragraphs and seeded random strings. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SAMPLES = fileURLToPath(new URL('../../samples', import.meta.url));

/** Every sample file's text and its blank-line-separated paragraphs, with their origin. */
export function sampleTexts(): Array<{ name: string; text: string; markdown: boolean }> {
  const out: Array<{ name: string; text: string; markdown: boolean }> = [];
  for (const [dir, ext, markdown] of [
    ['articles', '.txt', false],
    ['markdown', '.md', true],
  ] as const) {
    for (const file of readdirSync(join(SAMPLES, dir)).filter((f) => f.endsWith(ext)).sort()) {
      const text = readFileSync(join(SAMPLES, dir, file), 'utf8');
      out.push({ name: `${dir}/${file}`, text, markdown });
      text.split(/\n\s*\n/).forEach((para, i) => out.push({ name: `${dir}/${file}#${i}`, text: para, markdown }));
    }
  }
  return out;
}

const PIECES = [
  'a', 'Z', 'kata', 'Dia', 'dll.', 'Dr.', 'J.K.', 'No.', '1.', '1.200', 'Rp8,374', '16.00', '...', '…', '.', '!', '?',
  '?!', ',', ';', ':', '—', ' - ', '"', '“', '”', "'", '(', ')', '[', ']', '`', '``', '*', '**', '_', '\\', '<b>', '</b>',
  '<', '>', '@user', '#tag', 'https://x.id/a?b=1.', 'www.contoh.id', 'nama@contoh.co.id', '](u)', '![', '&amp;',
  ' ', ' ', ' ', '  ', '\n', '\n\n', '\t', '\u00a0', '😀', 'é', 'e\u0301', '\ud800', '\udc00', 'ß', 'İ', 'Путин', '你好',
  'dan', 'yang', 'karena', 'tetapi',
];

/** A random string built from pieces that trigger the splitter's rules, plus raw random code units. */
export function randomText(next: () => number, maxPieces = 40): string {
  const n = Math.floor(next() * maxPieces);
  let s = '';
  for (let i = 0; i < n; i++) {
    if (next() < 0.1) s += String.fromCharCode(Math.floor(next() * 0x3000));
    else s += PIECES[Math.floor(next() * PIECES.length)]!;
  }
  return s;
}

/** Fake token counter: 1.3 tokens per whitespace-separated word. */
export function wordCounter(s: string): number {
  return Math.ceil((s.match(/\S+/g)?.length ?? 0) * 1.3);
}

/** Fake token counter that also sees long words: one token per started 4 characters of each word. */
export function charCounter(s: string): number {
  let n = 0;
  for (const w of s.match(/\S+/g) ?? []) n += Math.ceil([...w].length / 4);
  return n;
}

export function joinSpans(spans: ReadonlyArray<{ text: string; trailing: string }>): string {
  return spans.map((s) => s.text + s.trailing).join('');
}
