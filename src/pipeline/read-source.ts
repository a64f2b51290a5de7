/**
 * One file from disk to the segments the model gets: size check, read, decode, parse, segment,
 * with a person's translations (dwibahasa serve) set aside. The run and `--dry-run` share this.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Config } from '../config/schema.js';
import { describeError } from '../errors.js';
import { readDocument } from '../parse/formats.js';
import { definedLabels } from '../parse/markdown-definitions.js';
import { unitsOf, type BlockPlan } from '../reassemble/reassemble.js';
import { prepareParts } from '../reassemble/unit-format.js';
import { segmentBlock } from '../segment/segment-block.js';
import type { TranslationEngine } from '../translate/engine.js';
import type { Block, OutputFormat, ParsedDocument, SourceFile } from '../types.js';
import { expectedOutputs } from '../write/formats.js';
import type { HumanStore } from './run.js';

/** A file read and parsed, with the outputs it gets. */
export interface SourcePlan {
  readonly sha256: string;
  readonly doc: ParsedDocument;
  readonly expected: readonly string[];
}

/** What would be sent to the model for a document. */
export interface SegmentPlan {
  readonly plans: ReadonlyArray<BlockPlan | null>;
  /** A person's translations of its sentences (dwibahasa serve): these are not sent. */
  readonly human: ReturnType<HumanStore['getHuman']>;
  /** Segments to translate, in order (repeats included). */
  readonly units: readonly string[];
  readonly words: number;
}

/** Check the size, read, decode and parse one file, or say why not. */
export async function readSource(
  file: SourceFile,
  outBase: string,
  opts: { readonly formats: readonly OutputFormat[]; readonly maxFileMb: number; readonly html: Config['input']['html'] },
): Promise<SourcePlan | { readonly failure: string; readonly sha256?: string }> {
  const limit = opts.maxFileMb;
  try {
    // Checked before reading: a file is held whole while translated, so its size bounds memory.
    const size = (await stat(file.absPath)).size;
    if (size > limit * 1024 * 1024) {
      return {
        failure:
          `${file.absPath}: ${(size / 1024 / 1024).toFixed(1)} MB is over the limit of ${limit} MB (input.max_file_mb): ` +
          'split it into smaller files (for example one per chapter), or raise input.max_file_mb in config.yaml ' +
          '(memory use grows with the size of the largest files)',
      };
    }
  } catch (err) {
    return { failure: `cannot read the file: ${describeError(err)}` };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.absPath);
  } catch (err) {
    return { failure: `cannot read the file: ${describeError(err)}` };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let doc: ParsedDocument;
  try {
    doc = readDocument(bytes, file.absPath, { html: opts.html });
  } catch (err) {
    return { failure: describeError(err), sha256 };
  }
  return { sha256, doc, expected: expectedOutputs(outBase, doc.format, opts.formats) };
}

/** A parsed document into the segments the model gets. */
export function segmentDocument(
  doc: ParsedDocument,
  config: Config,
  engine: Pick<TranslationEngine, 'countTokens' | 'maxInputTokens'>,
  humanStore?: HumanStore,
): SegmentPlan {
  const markdown = doc.format === 'markdown';
  const html = doc.format === 'html';
  const linkLabels = markdown ? definedLinkLabels(doc.blocks) : undefined;
  const maxTokens = Math.min(config.segment.max_tokens, engine.maxInputTokens);
  const keep = config.segment.keep;
  const glossary = config.glossary;
  const plans: Array<BlockPlan | null> = doc.blocks.map((b) => {
    if (!b.translate || b.source.trim() === '') return null;
    const plan = segmentBlock(b.source, {
      maxTokens, countTokens: (s) => engine.countTokens(s), markdown, html, keep, glossary, ...(linkLabels ? { linkLabels } : {}),
    });
    return { leading: plan.leading, sentences: plan.sentences.map((s) => ({ ...s, parts: prepareParts(doc.format, s.parts) })) };
  });
  const human = humanStore?.getHuman(plans.flatMap((p) => (p ? p.sentences.map((s) => s.text) : []))) ?? new Map();
  const units = plans.flatMap((p) => (p ? unitsOf({ ...p, sentences: p.sentences.filter((s) => !human.has(s.text)) }) : []));
  return { plans, human, units, words: units.reduce((n, u) => n + countWords(u), 0) };
}

/** Labels of the file's link reference definitions, so "[label]" links keep their label. */
function definedLinkLabels(blocks: readonly Block[]): ReadonlySet<string> {
  return new Set(blocks.filter((b) => b.kind === 'definition').flatMap((b) => definedLabels(b.source)));
}

/** Whitespace-separated words: the unit of every words/s figure. */
export function countWords(text: string): number {
  let n = 0;
  for (const w of text.split(/\s+/)) if (w !== '') n++;
  return n;
}
