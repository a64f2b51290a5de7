/**
 * The write stage: which files a translated document becomes, and writing them atomically.
 */
import type { DocumentFormat, OutputFormat, TranslatedDocument } from '../types.js';
import { writeFilesAtomic, type WriteFileAtomicOptions } from './atomic.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { englishTextExtension, renderText } from './text.js';
import { renderTmx } from './tmx.js';
import { plainView } from './html-view.js';
import { renderEnglishPage } from './html-page.js';

const RENDERERS: Readonly<Record<OutputFormat, (doc: TranslatedDocument) => string>> = {
  md: renderMarkdown,
  html: renderHtml,
  json: renderJson,
  txt: renderText,
  tmx: renderTmx,
};

/** File extension of each output format; the English-only text follows the input format. */
export function outputExtension(output: OutputFormat, input: DocumentFormat): string {
  switch (output) {
    case 'md':
      return '.id-en.md';
    case 'html':
      return '.id-en.html';
    case 'json':
      return '.id-en.json';
    case 'txt':
      return englishTextExtension(input);
    case 'tmx':
      return '.id-en.tmx';
  }
}

/** One file to write: where, and how to render it. */
interface OutputFile {
  readonly path: string;
  readonly render: (doc: TranslatedDocument) => string | Uint8Array;
}

/**
 * Files an input format adds to an output format, one line each: for web pages, `txt` also
 * writes x.en.html, the original page with the article in English.
 */
const EXTRA_FILES: ReadonlyArray<{ input: DocumentFormat; output: OutputFormat; extension: string; render: OutputFile['render'] }> = [
  { input: 'html', output: 'txt', extension: '.en.html', render: renderEnglishPage },
];

/**
 * What the bilingual files are rendered from, per input format: web pages from their plain-text
 * view (no tags, no page furniture; see html-view.ts). The JSON always gets the raw document,
 * so that it rebuilds the input.
 */
const VIEWS: Partial<Record<DocumentFormat, (doc: TranslatedDocument) => TranslatedDocument>> = { html: plainView };

/** The files of the requested formats for an input format. */
function outputFiles(outBase: string, input: DocumentFormat, formats: readonly OutputFormat[]): OutputFile[] {
  const files: OutputFile[] = [];
  const view = VIEWS[input];
  for (const f of [...new Set(formats)]) {
    const render = RENDERERS[f];
    const path = outBase + outputExtension(f, input);
    files.push({ path, render: view === undefined || f === 'json' ? render : (doc) => render(view(doc)) });
    for (const x of EXTRA_FILES) if (x.input === input && x.output === f) files.push({ path: outBase + x.extension, render: x.render });
  }
  return files;
}

/**
 * Output paths for `outBase` (the output path without extension, e.g. out/a/b/x):
 * x.id-en.md, x.id-en.html, x.id-en.json, x.en.txt (x.en.md for Markdown inputs), x.id-en.tmx.
 * Only the requested formats are keys of the result.
 */
export function outputPaths<F extends OutputFormat>(
  outBase: string,
  format: DocumentFormat,
  formats: readonly F[],
): Record<F, string> {
  const paths = {} as Record<F, string>;
  for (const f of formats) paths[f] = outBase + outputExtension(f, format);
  return paths;
}

/** Every file the requested formats give for an input format (x.en.html included for web pages). */
export function expectedOutputs(outBase: string, format: DocumentFormat, formats: readonly OutputFormat[]): string[] {
  return outputFiles(outBase, format, formats).map((f) => f.path);
}

/**
 * Render and atomically write the requested formats; returns the written paths in `formats`
 * order (duplicates once). All are written or none: if any fails, no new output is left (earlier
 * versions stay as they were) and the first failure (an OutputError) is thrown.
 */
export async function writeOutputs(
  doc: TranslatedDocument,
  outBase: string,
  formats: readonly OutputFormat[],
  opts: Pick<WriteFileAtomicOptions, 'fsync'> = {},
): Promise<string[]> {
  const files = outputFiles(outBase, doc.format, formats);
  await writeFilesAtomic(files.map((f) => ({ path: f.path, data: f.render(doc) })), opts);
  return files.map((f) => f.path);
}
