/**
 * Segmentation of one block: sentences, then clauses for sentences the model cannot take whole,
 * then the spans that must not be translated, then the glossary and keep terms.
 *
 * Invariants of the plan:
 * - leading + sentences.map(s => s.text + s.trailing).join('') === source;
 * - for each sentence, parts.map(p => p.text).join('') === text;
 * - every translatable part fits maxTokens (a part the counter still finds too long is cut
 *   further, into neighbouring translatable parts).
 */
import { splitLongSentence } from './clauses.js';
import type { PlanPart } from '../types.js';
import { applyGlossary } from './glossary.js';
import { findFrozenRanges, mergeParts, partsFromRanges, protectSpans, type ProtectedPart } from './protect.js';
import type { Range } from './span-rules.js';
import { maskHtml } from './html-spans.js';
import { splitSentences } from './sentences.js';
import { maskQuotePrefixes } from '../parse/markdown-syntax.js';


export interface SegmentOptions {
  /** Largest number of tokens (as counted by `countTokens`) one translatable part may have. */
  readonly maxTokens: number;
  /** Token count of a text, e.g. the model tokenizer's; should cost O(length). */
  readonly countTokens: (s: string) => number;
  readonly markdown: boolean;
  /** Terms copied verbatim (case-sensitive, whole words). */
  readonly keep?: readonly string[];
  /** The source is a run of HTML: tags are frozen and read as spaces by the sentence splitter. */
  readonly html?: boolean;
  /** Markdown link labels defined in the document (see ProtectOptions). */
  readonly linkLabels?: ReadonlySet<string>;
  /**
   * Indonesian terms with a wanted English: cut out as frozen parts with that `target`, after the
   * spans above (keep terms too are matched whole-word here, as the glossary's own entries).
   */
  readonly glossary?: Readonly<Record<string, string>>;
}

export interface PlannedSentence {
  readonly text: string;
  /** Whitespace after the sentence in the block. */
  readonly trailing: string;
  readonly parts: PlanPart[];
}

export interface SegmentPlan {
  /** Whitespace before the first sentence. */
  readonly leading: string;
  readonly sentences: PlannedSentence[];
}

export function segmentBlock(source: string, opts: SegmentOptions): SegmentPlan {
  if (opts.markdown) {
    const masked = maskQuotePrefixes(source);
    if (masked !== source) return withSourceText(segmentBlock(masked, { ...opts, markdown: true }), source);
  }
  const { leading, spans } = opts.html === true ? splitMasked(source) : splitSentences(source);
  const sentences: PlannedSentence[] = [];
  for (const span of spans) {
    const ranges = findFrozenRanges(span.text, opts);
    const pieces = splitLongSentence(span.text, opts.maxTokens, opts.countTokens, { avoid: ranges });
    let offset = 0;
    pieces.forEach((piece, i) => {
      const local = clip(ranges, offset, offset + piece.text.length);
      let parts = partsFromRanges(piece.text, local);
      // A piece of plain text was counted by splitLongSentence; with frozen spans in it, or when it
      // could not be cut, only its translatable parts matter, so those are checked one by one.
      if (parts.length > 1) parts = fitParts(parts, opts);
      const last = i === pieces.length - 1;
      sentences.push({ text: piece.text, trailing: last ? piece.trailing + span.trailing : piece.trailing, parts });
      offset += piece.text.length + piece.trailing.length;
    });
  }
  const glossary = opts.glossary;
  if (glossary === undefined) return { leading, sentences };
  return { leading, sentences: sentences.map((s) => ({ ...s, parts: applyGlossary(s.parts, glossary, opts.keep) })) };
}

/**
 * One sentence or clause protected as segmentBlock protects it (spans, then glossary and keep
 * terms), without cutting it: for text the guards send to the model again.
 */
export function protectText(text: string, opts: Pick<SegmentOptions, 'markdown' | 'html' | 'keep' | 'glossary'>): PlanPart[] {
  const parts = protectSpans(text, opts);
  return opts.glossary === undefined ? parts : applyGlossary(parts, opts.glossary, opts.keep);
}

/** Sentences of an HTML run, split on its text with the tags masked, cut from the original. */
function splitMasked(source: string): ReturnType<typeof splitSentences> {
  const masked = splitSentences(maskHtml(source));
  let pos = masked.leading.length;
  const spans = masked.spans.map((s) => {
    const text = source.slice(pos, pos + s.text.length);
    const trailing = source.slice(pos + s.text.length, pos + s.text.length + s.trailing.length);
    pos += s.text.length + s.trailing.length;
    return { ...s, text, trailing };
  });
  return { ...masked, leading: source.slice(0, masked.leading.length), spans };
}

/**
 * A Markdown block whose continuation lines carry quote prefixes ("\n> ") is planned as if the
 * prefixes were spaces, then given its own text back (same length, so every slice matches): a
 * prefix never starts a sentence or a translatable part, so it lands in the whitespace the English
 * keeps (the English stays a quote), and one inside a part is dropped from what the model gets
 * (see unitText).
 */
function withSourceText(plan: SegmentPlan, source: string): SegmentPlan {
  let pos = 0;
  const take = (n: number): string => source.slice(pos, (pos += n));
  const leading = take(plan.leading.length);
  const sentences = plan.sentences.map((s) => {
    const start = pos;
    const parts = s.parts.map((p) => ({ ...p, text: take(p.text.length) }));
    pos = start + s.text.length;
    return { text: source.slice(start, pos), trailing: take(s.trailing.length), parts };
  });
  return { leading, sentences };
}

/** Ranges (sorted, disjoint) intersecting [start, stop), shifted to start at 0. */
function clip(ranges: readonly Range[], start: number, stop: number): Range[] {
  // Binary search for the first range ending after `start`: a long sentence has many pieces and may have many ranges.
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (ranges[m]![1] <= start) lo = m + 1;
    else hi = m;
  }
  const out: Range[] = [];
  for (let i = lo; i < ranges.length && ranges[i]![0] < stop; i++) {
    const [a, b] = ranges[i]!;
    out.push([Math.max(a, start) - start, Math.min(b, stop) - start]);
  }
  return out;
}

/** Cuts translatable parts the counter finds too long; whitespace at the cuts becomes frozen. */
function fitParts(parts: ProtectedPart[], opts: SegmentOptions): ProtectedPart[] {
  if (parts.every((p) => p.frozen || opts.countTokens(p.text) <= opts.maxTokens)) return parts;
  const out: ProtectedPart[] = [];
  for (const part of parts) {
    if (part.frozen || opts.countTokens(part.text) <= opts.maxTokens) {
      out.push(part);
      continue;
    }
    for (const piece of splitLongSentence(part.text, opts.maxTokens, opts.countTokens)) {
      // Split pieces stay separate parts even when adjacent, so no merge across them.
      for (const p of partsFromRanges(piece.text, [])) out.push(p);
      if (piece.trailing !== '') out.push({ text: piece.trailing, frozen: true });
    }
  }
  // Join only neighbouring frozen parts; two translatable neighbours are deliberate cuts.
  const joined: ProtectedPart[] = [];
  for (const p of out) {
    const prev = joined[joined.length - 1];
    if (prev !== undefined && prev.frozen && p.frozen) joined[joined.length - 1] = mergeParts([prev, p])[0]!;
    else joined.push(p);
  }
  return joined;
}
