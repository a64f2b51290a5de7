/**
 * One file from disk to the segments the model gets: size check, read, decode, parse, segment,
 * with a person's translations (dwibahasa serve) set aside. The run and `--dry-run` share this.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Config } from '../config/schema.js';
import { describeError } from '../errors.js';
import { parseDocument } from '../parse/formats.js';
import { decodeFile } from '../read/read-text.js';
import { unitsOf, type BlockPlan } from '../reassemble/reassemble.js';
import { segmentBlock } from '../segment/segment-block.js';
import type { TranslationEngine } from '../translate/engine.js';
import type { OutputFormat, SourceFile } from '../types.js';
import { outputPaths } from '../write/formats.js';
import type { HumanStore } from './run.js';

/** A file read and parsed, with the outputs it gets. */
export interface SourcePlan {
  readonly sha256: string;
  readonly doc: ReturnType<typeof parseDocument>;
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

/** Check the size, read, decode and parse one file (the run and `--dry-run` share this), or say why not. */
export async function readSource(
  file: SourceFile,
  outBase: string,
  opts: { readonly formats: readonly OutputFormat[]; readonly maxFileMb: number },
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
  let text: string;
  try {
    text = decodeFile(bytes, file.absPath);
  } catch (err) {
    return { failure: describeError(err), sha256 };
  }
  const doc = parseDocument(text, file.absPath);
  return { sha256, doc, expected: Object.values(outputPaths(outBase, doc.format, opts.formats)) };
}

/** A parsed document into the segments the model gets (the run and `--dry-run` share this). */
export function segmentDocument(
  doc: SourcePlan['doc'],
  config: Config,
  engine: Pick<TranslationEngine, 'countTokens' | 'maxInputTokens'>,
  humanStore?: HumanStore,
): SegmentPlan {
  const markdown = doc.format === 'markdown';
  const maxTokens = Math.min(config.segment.max_tokens, engine.maxInputTokens);
  const keep = config.segment.keep;
  const glossary = config.glossary;
  const plans: Array<BlockPlan | null> = doc.blocks.map((b) =>
    !b.translate || b.source.trim() === '' ? null : segmentBlock(b.source, { maxTokens, countTokens: (s) => engine.countTokens(s), markdown, keep, glossary }),
  );
  const human = humanStore?.getHuman(plans.flatMap((p) => (p ? p.sentences.map((s) => s.text) : []))) ?? new Map();
  const units = plans.flatMap((p) => (p ? unitsOf({ ...p, sentences: p.sentences.filter((s) => !human.has(s.text)) }) : []));
  return { plans, human, units, words: units.reduce((n, u) => n + countWords(u), 0) };
}



function countWords(text: string): number {
  let n = 0;
  for (const w of text.split(/\s+/)) if (w !== '') n++;
  return n;
}
