/** Parse a decoded article into blocks, choosing the parser by file extension. */
import { extname } from 'node:path';
import type { DocumentFormat, ParsedDocument } from '../types.js';
import { parseMarkdown } from './markdown.js';
import { parseText } from './text.js';

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown']);

/** '.md' and '.markdown' (any case) are Markdown; every other file is plain text. */
export function formatOf(path: string): DocumentFormat {
  return MARKDOWN_EXTENSIONS.has(extname(path).toLowerCase()) ? 'markdown' : 'text';
}

export function parseDocument(text: string, path: string): ParsedDocument {
  return formatOf(path) === 'markdown' ? parseMarkdown(text) : parseText(text);
}
