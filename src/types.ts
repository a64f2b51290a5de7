/**
 * Types shared by the pipeline stages:
 * discover → decode → parse → segment → translate → reassemble → write.
 * Each stage module owns its own options; only what crosses a stage boundary lives here.
 */

/** One input file found by `discover`. */
export interface SourceFile {
  /** Absolute path of the file as found (symbolic links not resolved). */
  readonly absPath: string;
  /** Path relative to the folder argument it was found under (POSIX separators); the file name for a file argument. */
  readonly relPath: string;
  /** The command-line argument (file or folder) it came from. */
  readonly root: string;
}

/** Input format, chosen from the file extension. */
export type DocumentFormat = 'text' | 'markdown' | 'html';

/** What a block is; drives how it is rendered in the bilingual outputs. */
export type BlockKind =
  | 'title'
  | 'heading'
  | 'paragraph'
  | 'list-item'
  | 'quote'
  | 'table-cell'
  | 'code'
  | 'front-matter'
  | 'html'
  | 'rule'
  | 'label'
  /** A Markdown link reference definition, `[foo]: /url "title"`: copied, never translated. */
  | 'definition';

/**
 * A block of an article: a title, a paragraph, a list item, a table cell…
 *
 * Invariant kept by every parser: concatenating `marker + source + trailer` over all blocks
 * in order gives back the input text (after newline normalisation; hard-wrapped lines of one
 * plain-text paragraph may be joined with a single space).
 */
export interface Block {
  readonly kind: BlockKind;
  /** Text before the translatable part on its line: "- ", "1. ", "## ", "> ", "| " — "" when none. */
  readonly marker: string;
  /** The block's text. Translated when `translate` is true, copied verbatim otherwise. */
  readonly source: string;
  /** Text after `source` up to the next block's marker: line breaks, table pipes. */
  readonly trailer: string;
  /** False for code, front matter, raw HTML, rules: they are never sent to the model. */
  readonly translate: boolean;
  /** Heading level (1–6) for headings. */
  readonly level?: number;
  /** A "related links" block of a web page ("Baca juga: …"): kept, translated, and marked as such. */
  readonly related?: boolean;
  /** Pipe-table cells: where the cell sits in its table. */
  readonly cell?: TableCell;
}

/**
 * A pipe-table cell's place: row 0 is the header row, and a cell at row 0, column 0 starts a new
 * table. Rows may have fewer or more cells than the header; none is dropped.
 */
export interface TableCell {
  readonly row: number;
  readonly column: number;
  /** From the delimiter row (":--", ":-:", "--:"); absent when the column has no alignment. */
  readonly align?: 'left' | 'center' | 'right';
}

export interface ParsedDocument {
  readonly format: DocumentFormat;
  readonly blocks: readonly Block[];
  /** HTML pages: the charset the page was read in, and is written back in (x.en.html). */
  readonly charset?: string;
}

/**
 * A sentence (or clause) of a block, with the whitespace that followed it in the block.
 * Invariant: joining `text + trailing` over a block's segments gives back the block's source,
 * after any leading whitespace of the block (which the splitter returns as `leading`).
 */
export interface SentenceSpan {
  readonly text: string;
  readonly trailing: string;
}

/**
 * A part of a planned sentence: translatable text, or a frozen span that reaches the English as
 * written, or as `target` where the glossary wants another English term.
 */
export interface PlanPart {
  readonly text: string;
  readonly frozen: boolean;
  readonly target?: string;
  /** The text the model gets for this part when it differs from its source (HTML: entities decoded). */
  readonly unit?: string;
  /** Web pages: inline tags carried through the model as bare placeholders (see reassemble/markup.ts). */
  readonly markup?: readonly MarkupTag[];
}

/** An inline tag of a web page inside a translated stretch. */
export interface MarkupTag {
  /** The tag as written in the page ("<a href=\"/x\" class=\"y\">"). */
  readonly text: string;
  /** "a" for <a …>, "/a" for </a>: what the model sees, as "<a>" and "</a>". */
  readonly name: string;
  /** Where it stood, as a share of the stretch's text (0: before the first character, 1: after the last). */
  readonly at: number;
}

/** What became of one input file in a run (and in the run manifest). */
export type FileStatus = 'done' | 'failed' | 'skipped';

/** A problem the quality guards found in a segment's translation. */
export type SegmentFlag = 'repetition' | 'too-short' | 'too-long' | 'untranslated' | 'lost-span'
  /** Web pages: the model did not keep an inline tag's placeholder; the tag was put back at a word or clause edge. */
  | 'markup-moved';

/** What each flag means, for the run summary, the HTML page and the README (one wording). */
export const FLAG_MEANINGS: Readonly<Record<SegmentFlag, string>> = {
  repetition: 'the English repeats a word or phrase far more often than the Indonesian (a model loop)',
  'too-short': 'the English is much shorter than the Indonesian: part of the sentence may be missing',
  'too-long': 'the English is much longer than the Indonesian: words may have been invented',
  untranslated: 'the English is (nearly) a copy of the Indonesian',
  'markup-moved': "the model lost or misplaced the sentence's inline markup (bold, links…): it is put back around the whole stretch",
  'lost-span': 'something that must come through is missing from the English: a number, URL, e-mail address, @handle, #hashtag, code, keep term or glossary term',
};

export interface TranslatedSegment {
  readonly source: string;
  readonly target: string;
  /** Whitespace that followed the sentence in the source; reused between target sentences. */
  readonly trailing: string;
  readonly flags?: readonly SegmentFlag[];
  /** Set when the segment could not be translated; `target` is then "". */
  readonly error?: string;
  /** ISO time a person reviewed and set `target` (dwibahasa serve); later runs keep that English. */
  readonly reviewed?: string;
}

export interface TranslatedBlock extends Block {
  /** The English of `source` (equal to `source` for blocks that are not translated). */
  readonly target: string;
  readonly segments: readonly TranslatedSegment[];
}

/** What identifies the model and settings that produced a translation. */
export interface ModelInfo {
  /** Model id (e.g. "Xenova/opus-mt-id-en") or the folder it was loaded from. */
  readonly id: string;
  readonly dtype: Dtype;
  /** Short hash over the model's files, so that a different model never matches a stored translation. */
  readonly hash: string;
  /** Decoding settings that change the output (beams, penalties, length limits). */
  readonly decoding: Readonly<Record<string, number | boolean | string>>;
}

export interface TranslatedDocument {
  readonly source: { readonly path: string; readonly relPath: string; readonly sha256: string };
  readonly format: DocumentFormat;
  /** HTML pages: the charset of the input, for the English page. */
  readonly charset?: string;
  readonly model: ModelInfo;
  readonly blocks: readonly TranslatedBlock[];
}

/** ONNX weight variants: q8 loads `*_quantized.onnx`, fp32 the plain files. */
export type Dtype = 'q8' | 'fp32';

/** Output formats, as named by `--formats`. */
export type OutputFormat = 'md' | 'html' | 'json' | 'txt' | 'tmx';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['md', 'html', 'json', 'txt', 'tmx'];
