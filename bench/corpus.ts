/**
 * Benchmark corpus: articles assembled from the real Indonesian sentences of samples/.
 *
 * Every sentence in the corpus is unique. dwibahasa translates each distinct sentence of a run
 * once (its queue serves repeats from a cache), while the baseline translates every paragraph
 * as given; a corpus that repeated its ~200 source sentences would measure that cache, not the
 * translator. Re-used sentences therefore get a varied Indonesian lead-in ("Pada 12 Maret 2019,
 * ...") that keeps them real-looking and about as long as real news sentences.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { splitSentences } from '../src/segment/sentences.js';
import { seededRandom } from '../testmodel/seeded-random.js';

/** Integer in [lo, hi] inclusive. */
export function randInt(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Whitespace-separated words, as dwibahasa counts them. */
export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** A line that is a command, path, URL, table row or other non-prose text. */
export function isCodeLike(line: string): boolean {
  const t = line.trim();
  if (t === '') return false;
  if (/^(\$|#!|sudo\s|deb\s|apt(-get)?\s|\||<|\{|\}|\/)/.test(t)) return true;
  if (/[`{};=<>\\]|:\/\/|\w\/\w+\/|^\S+\s*:\s*\S+$/.test(t)) return true;
  const letters = t.match(/\p{L}/gu)?.length ?? 0;
  return letters / t.length < 0.7;
}

/** Markdown/list decoration that is not part of the prose. */
function stripMarkup(line: string): string {
  return line
    .replace(/^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)/, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .trim();
}

/**
 * Prose sentences of the given texts: each line is a paragraph; fenced code and code-like lines
 * are dropped, the rest goes through dwibahasa's own sentence splitter. Returns distinct
 * sentences of 3..60 words in first-seen order.
 */
export function extractSentences(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const text of texts) {
    let inFence = false;
    const prose: string[] = [];
    for (const raw of text.split(/\r?\n/)) {
      if (/^\s*(```|~~~)/.test(raw)) {
        inFence = !inFence;
        prose.push('');
        continue;
      }
      if (inFence || isCodeLike(raw)) {
        prose.push('');
        continue;
      }
      prose.push(stripMarkup(raw));
    }
    // In the samples every line is a paragraph; joining lines would glue headings onto sentences.
    for (const line of prose) {
      if (line.trim() === '') continue;
      for (const span of splitSentences(line.trim()).spans) {
        const s = span.text.trim();
        const words = countWords(s);
        // Prose only: enough words, a capital/digit start, a closing punctuation mark (drops
        // headings and list labels), no code, and Indonesian (the samples quote some English).
        if (words < 3 || words > 60 || !/^[\p{Lu}\d"“(]/u.test(s) || !/[.!?…]["”’)]?$/u.test(s)) continue;
        if (isCodeLike(s) || !isIndonesian(s)) continue;
        if (!seen.has(s)) {
          seen.add(s);
          out.push(s);
        }
      }
    }
  }
  return out;
}

const ENGLISH = new Set(['the', 'of', 'is', 'and', 'to', 'a', 'it', 'are', 'on', 'for', 'with', 'this', 'that', 'by', 'be', 'at', 'as', 'or', 'from']);
const INDONESIAN = new Set(['yang', 'dan', 'di', 'ke', 'dari', 'untuk', 'adalah', 'dengan', 'ini', 'itu', 'pada', 'dalam', 'akan', 'tidak', 'anda', 'atau', 'juga', 'oleh', 'sebagai']);

/** No English function words, or more Indonesian ones than English ones. */
export function isIndonesian(sentence: string): boolean {
  let id = 0;
  let en = 0;
  for (const w of sentence.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (INDONESIAN.has(w)) id++;
    else if (ENGLISH.has(w)) en++;
  }
  return en === 0 || id > en;
}

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const LEADS = [
  'Selain itu,', 'Sementara itu,', 'Di sisi lain,', 'Oleh karena itu,', 'Namun,', 'Akibatnya,', 'Secara umum,',
  'Menurut laporan tersebut,', 'Dalam praktiknya,', 'Pada saat yang sama,', 'Menurut para pengguna,', 'Sebagai contoh,',
];
/** Sentence-initial words that read naturally in lower case after a lead-in. */
const LOWERABLE = /^(Ini|Itu|Anda|Kami|Kita|Mereka|Dia|Untuk|Dalam|Jika|Bila|Saat|Ketika|Setelah|Sebelum|Pada|Di|Ke|Dari|Dengan|Ada|Hal|Cara|Tujuan|Langkah|Beberapa|Semua|Setiap|Sebagian|Banyak|Sebuah|Suatu|Berkas|Perintah|Paket|Sistem|Proyek|Informasi|Klik|Buka|Pilih|Tekan|Masukkan|Gunakan)\b/;

/** The `k`-th variant (k >= 1) of a sentence: a lead-in that makes it distinct from its other uses. */
export function variantOf(sentence: string, k: number): string {
  const body = LOWERABLE.test(sentence) ? sentence[0]!.toLowerCase() + sentence.slice(1) : sentence;
  const slot = k - 1;
  const leadCount = LEADS.length;
  if (slot < leadCount) return `${LEADS[slot]!} ${body}`;
  // Dates give 28 × 12 × 30 further distinct lead-ins: enough for any corpus size we run.
  const d = slot - leadCount;
  const day = (d % 28) + 1;
  const month = MONTHS[Math.floor(d / 28) % 12]!;
  const year = 1995 + (Math.floor(d / (28 * 12)) % 30);
  const cycle = Math.floor(d / (28 * 12 * 30));
  return `Pada ${day} ${month} ${year}${cycle > 0 ? ` (bagian ${cycle + 1})` : ''}, ${body}`;
}

export interface Article {
  readonly title: string;
  readonly paragraphs: readonly string[];
}

export interface CorpusOptions {
  /** Body paragraphs in total (titles come on top of these). */
  readonly paragraphs: number;
  readonly seed: number;
}

/**
 * Articles of 6–10 body paragraphs (the last one takes the remainder) of 1–5 sentences each,
 * each with a short title line. Sentences are drawn by shuffling the pool; a sentence is reused
 * only after the whole pool has been used, and then as a distinct variant.
 */
export function buildCorpus(pool: readonly string[], options: CorpusOptions): Article[] {
  if (pool.length === 0) throw new Error('benchmark corpus: no usable sentences were found in samples/');
  if (!Number.isInteger(options.paragraphs) || options.paragraphs < 1) {
    throw new RangeError(`benchmark corpus: paragraphs must be a positive integer, got ${options.paragraphs}`);
  }
  // Seeded: the same seed gives the same corpus on every machine.
  const rng = seededRandom(options.seed);
  const uses = new Map<string, number>();
  let deck: string[] = [];
  const draw = (): string => {
    if (deck.length === 0) deck = shuffle([...pool], rng);
    const s = deck.pop()!;
    const k = uses.get(s) ?? 0;
    uses.set(s, k + 1);
    return k === 0 ? s : variantOf(s, k);
  };
  const titles = pool.filter((s) => countWords(s) <= 10);
  const articles: Article[] = [];
  let left = options.paragraphs;
  while (left > 0) {
    const count = Math.min(left, randInt(rng, 6, 10));
    left -= count;
    const paragraphs: string[] = [];
    for (let p = 0; p < count; p++) {
      const n = randInt(rng, 1, 5);
      paragraphs.push(Array.from({ length: n }, draw).join(' '));
    }
    const base = titles.length > 0 ? titles[randInt(rng, 0, titles.length - 1)]! : pool[0]!;
    const title = `${base.replace(/[.!?…:;,]+$/, '')} (${articles.length + 1})`;
    articles.push({ title, paragraphs });
  }
  return articles;
}

function shuffle<T>(items: T[], rng: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The plain-text file of an article: title line, then paragraphs separated by blank lines. */
export function articleText(article: Article): string {
  return [article.title, ...article.paragraphs].join('\n\n') + '\n';
}

/** Every text the baseline translates, one per call: titles and paragraphs, in file order. */
export function translationUnits(articles: readonly Article[]): string[] {
  return articles.flatMap((a) => [a.title, ...a.paragraphs]);
}

/** samples/**\/*.txt and *.md, in code-point order of their paths. */
export function readSampleTexts(samplesDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(txt|md)$/.test(name) && name !== 'SOURCES.md') files.push(p);
    }
  };
  walk(samplesDir);
  return files.map((f) => readFileSync(f, 'utf8'));
}

export interface WrittenCorpus {
  readonly dir: string;
  readonly articles: Article[];
  readonly files: number;
  readonly paragraphs: number;
  readonly titles: number;
  readonly words: number;
  readonly sentencesInPool: number;
}

/** Builds the corpus and writes it to `dir` (emptied first), one article-NNNN.txt per article. */
export function writeCorpus(samplesDir: string, dir: string, options: CorpusOptions): WrittenCorpus {
  const pool = extractSentences(readSampleTexts(samplesDir));
  const articles = buildCorpus(pool, options);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const width = Math.max(4, String(articles.length).length);
  articles.forEach((a, i) => writeFileSync(path.join(dir, `article-${String(i + 1).padStart(width, '0')}.txt`), articleText(a)));
  const units = translationUnits(articles);
  return {
    dir,
    articles,
    files: articles.length,
    paragraphs: options.paragraphs,
    titles: articles.length,
    words: units.reduce((n, u) => n + countWords(u), 0),
    sentencesInPool: pool.length,
  };
}
