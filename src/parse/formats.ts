/** Parse a decoded article into blocks, choosing the parser by file extension. */
import { extname } from 'node:path';
import { decodeFile } from '../read/read-text.js';
import { InputFileError } from '../errors.js';
import type { DocumentFormat, ParsedDocument } from '../types.js';
import { decodeHtml } from './html/charset.js';
import { parseHtml, type HtmlExtract } from './html/parse-html.js';
import { parseMarkdown } from './markdown.js';
import { parseText } from './text.js';

export interface ReadOptions {
  readonly html: { readonly extract: HtmlExtract };
}

interface InputFormat {
  readonly format: DocumentFormat;
  /** For messages: "Markdown (.md, .markdown)". */
  readonly label: string;
  /** Lower-case extensions with the dot; '' is a file without one. */
  readonly extensions: readonly string[];
  /** Bytes → blocks; throws InputFileError for input it cannot read faithfully. */
  readonly read: (bytes: Uint8Array, path: string, opts: ReadOptions) => ParsedDocument;
}

/** The input formats, one line each. */
const INPUT_FORMATS: readonly InputFormat[] = [
  { format: 'text', label: 'plain text', extensions: ['.txt', '.text', ''], read: (b, p) => parseText(decodeFile(b, p)) },
  { format: 'markdown', label: 'Markdown', extensions: ['.md', '.markdown'], read: (b, p) => parseMarkdown(decodeFile(b, p)) },
  { format: 'html', label: 'HTML', extensions: ['.html', '.htm'], read: readHtml },
];

function readHtml(bytes: Uint8Array, path: string, opts: ReadOptions): ParsedDocument {
  const { text, charset } = decodeHtml(bytes, path);
  return parseHtml(text, { extract: opts.html.extract, charset, path });
}

function entryFor(path: string): InputFormat | undefined {
  const ext = extname(path).toLowerCase();
  return INPUT_FORMATS.find((f) => f.extensions.includes(ext));
}

/** "plain text (.txt, .text, no extension), Markdown (.md, .markdown), HTML (.html, .htm)". */
export function supportedFormats(): string {
  return INPUT_FORMATS.map((f) => `${f.label} (${f.extensions.map((e) => (e === '' ? 'no extension' : e)).join(', ')})`).join(', ');
}

/** The input format of a path by its extension (any case); undefined when the tool cannot read it. */
export function inputFormatOf(path: string): DocumentFormat | undefined {
  return entryFor(path)?.format;
}

/** '.md' and '.markdown' are Markdown, '.html'/'.htm' HTML; every other file is plain text. */
export function formatOf(path: string): DocumentFormat {
  return inputFormatOf(path) ?? 'text';
}

/** Decode and parse a file's bytes by its extension. */
export function readDocument(bytes: Uint8Array, path: string, opts: ReadOptions): ParsedDocument {
  const entry = entryFor(path);
  if (entry === undefined) {
    const ext = extname(path);
    throw new InputFileError(`${path}: cannot read ${ext} files; the supported formats are ${supportedFormats()}`, path);
  }
  return entry.read(bytes, path, opts);
}

export function parseDocument(text: string, path: string): ParsedDocument {
  const format = formatOf(path);
  if (format === 'html') return parseHtml(text, { extract: 'article', path });
  return format === 'markdown' ? parseMarkdown(text) : parseText(text);
}
