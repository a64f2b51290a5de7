/**
 * Puts translations back where their sources were: parts into sentences, sentences into blocks,
 * with the source's own spacing and frozen spans (URLs, code, markup) untouched.
 */
import { withoutQuotePrefixes } from '../parse/markdown-syntax.js';
import type { Block, PlanPart, SegmentFlag, TranslatedBlock, TranslatedSegment } from '../types.js';
import { restoreMarkup } from './markup.js';

/** A block split for translation: the segmenter's plan, or null for blocks never translated. */
export interface BlockPlan {
  readonly leading: string;
  readonly sentences: ReadonlyArray<{ readonly text: string; readonly trailing: string; readonly parts: readonly PlanPart[] }>;
}

/** What the engine gave for one unit of text: its English, or why it failed. */
export type UnitResult = { readonly target: string } | { readonly error: string };

/**
 * The text sent to the model for a translatable part: without its surrounding whitespace, which is
 * put back around the translation, and with inner runs of whitespace (joined hard wraps, Markdown
 * line breaks inside a paragraph) as single spaces, as the model was trained on. Quote prefixes of
 * Markdown continuation lines ("\n> ") are syntax and never reach the model (only Markdown
 * sources keep line breaks inside a block, so plain text is unaffected).
 */
export function unitText(part: PlanPart): string {
  return withoutQuotePrefixes(part.unit ?? part.text).trim().replace(/\s+/g, ' ');
}

/** Every unit text of a plan that must be translated, in order. */
export function unitsOf(plan: BlockPlan): string[] {
  const units: string[] = [];
  for (const s of plan.sentences) for (const p of s.parts) if (!p.frozen && unitText(p) !== '') units.push(unitText(p));
  return units;
}

export interface SentenceTarget {
  readonly target: string;
  readonly error?: string;
  readonly flags?: readonly SegmentFlag[];
  /** ISO time of the human translation that set `target`. */
  readonly reviewed?: string;
}

/**
 * Translate one sentence from its parts; a failed part fails the sentence. `finish` turns the
 * model's English into text of the document's format (escaped for Markdown or HTML).
 */
export function assembleSentence(
  parts: readonly PlanPart[],
  lookup: (unit: string) => UnitResult,
  finish: (english: string) => string = (t) => t,
): SentenceTarget {
  let target = '';
  let moved = false;
  for (const part of parts) {
    const unit = unitText(part);
    if (part.frozen || unit === '') {
      target += part.frozen ? (part.target ?? part.text) : part.text;
      continue;
    }
    const result = lookup(unit);
    if ('error' in result) return { target: '', error: result.error };
    const leading = /^\s*/.exec(part.text)![0];
    const trailing = /\s*$/.exec(part.text)![0];
    // No English at all for text with words: keep the source there, so that nothing is lost and a
    // Markdown block cannot vanish (an empty setext heading would turn its underline into a rule).
    let english: string;
    if (result.target.trim() === '') english = part.text.trim();
    else if (part.markup !== undefined && part.markup.length > 0) {
      const restored = restoreMarkup(result.target, part.markup, finish);
      english = restored.text;
      if (restored.moved) moved = true;
    } else english = finish(result.target);
    target += leading + english + trailing;
  }
  return moved ? { target, flags: ['markup-moved'] } : { target };
}

/**
 * Build a translated block. `sentenceTargets` gives, per sentence of the plan, its English (after
 * any guard checks). A failed sentence keeps its Indonesian in the block's English text, so the
 * English-only output loses nothing; the failure itself is recorded on the segment.
 */
export function reassembleBlock(block: Block, plan: BlockPlan | null, sentenceTargets: readonly SentenceTarget[]): TranslatedBlock {
  if (plan === null) {
    return { ...block, target: block.source, segments: [] };
  }
  const segments: TranslatedSegment[] = plan.sentences.map((s, i) => {
    const t = sentenceTargets[i]!;
    return {
      source: s.text,
      target: t.target,
      trailing: s.trailing,
      ...(t.flags && t.flags.length > 0 ? { flags: t.flags } : {}),
      ...(t.error !== undefined ? { error: t.error } : {}),
      ...(t.reviewed !== undefined ? { reviewed: t.reviewed } : {}),
    };
  });
  const target = plan.leading + segments.map((s) => (s.error !== undefined ? s.source : s.target) + s.trailing).join('');
  return { ...block, target, segments };
}
