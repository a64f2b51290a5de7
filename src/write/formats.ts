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
  const unique = [...new Set(formats)];
  const paths = outputPaths(outBase, doc.format, unique);
  await writeFilesAtomic(unique.map((f) => ({ path: paths[f], data: RENDERERS[f](doc) })), opts);
  return unique.map((f) => paths[f]);
}
