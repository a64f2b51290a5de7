/**
 * Glossaries: inline in config.yaml (`glossary:`) or in a file of their own (`glossary_file:`), as
 * terminology lists are kept: TSV, CSV or YAML. Every error names the file and line and what to do.
 * Reading is linear in the number of terms (a list of 100,000 terms loads in about a second).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, type Node as YamlNode } from 'yaml';
import { ConfigError } from '../errors.js';

/** Collects `term → English`, refusing empty entries and a term given twice (naming both lines). */
export class TermCollector {
  /** No prototype: a term such as "__proto__" or "constructor" is a term like any other. */
  readonly terms = Object.create(null) as Record<string, string>;
  private readonly lines = new Map<string, number | undefined>();

  constructor(
    private readonly file: string | undefined,
    private readonly key: string,
  ) {}

  private at(line: number | undefined): string {
    return line === undefined ? (this.file ?? 'command line') : `${this.file}:${line}`;
  }

  fail(line: number | undefined, message: string): never {
    throw new ConfigError(`${this.at(line)}: ${this.key}: ${message}`, this.file, this.key);
  }

  add(term: string, english: string, line: number | undefined): void {
    if (term.trim() === '') this.fail(line, 'empty term; each entry is an Indonesian term and its English');
    if (english.trim() === '') this.fail(line, `term ${JSON.stringify(term)} has no English`);
    if (this.lines.has(term)) {
      const first = this.lines.get(term);
      this.fail(line, `duplicate term ${JSON.stringify(term)} (first given at ${first === undefined ? 'an earlier entry' : `line ${first}`}); keep one`);
    }
    this.lines.set(term, line);
    this.terms[term] = english;
  }
}

/** Terms of a YAML mapping node; `lines` turns offsets into line numbers. */
export function termsOfYamlMap(node: YamlNode, lines: LineCounter | undefined, collector: TermCollector): void {
  if (!isMap(node)) collector.fail(lineOf(node, lines), 'expected a mapping of "Indonesian term: English text"');
  for (const pair of node.items) {
    const k = pair.key as YamlNode;
    const v = pair.value as YamlNode | null;
    const line = lineOf(k, lines);
    if (!isScalar(k) || v === null || !isScalar(v) || typeof v.value !== 'string') {
      collector.fail(line, 'each entry must be "Indonesian term: English text"');
    }
    collector.add(String(k.value), v.value, line);
  }
}

function lineOf(node: YamlNode | undefined, lines: LineCounter | undefined): number | undefined {
  const offset = node?.range?.[0];
  return offset === undefined || lines === undefined ? undefined : lines.linePos(offset).line;
}

/** A first row that names the columns, not a term. */
const HEADER = /^(?:term|terms|source|indonesian|indonesia|id|istilah)$/i;

/**
 * Read a glossary file by its extension: `.tsv`/`.tab` (term TAB English), `.csv` (RFC 4180, quotes
 * allowed) or `.yaml`/`.yml` (a mapping). Blank lines and lines starting with `#` are skipped in
 * TSV and CSV, and a first row naming the columns (term, source, id, indonesian…) is a header.
 */
export function readGlossaryFile(file: string): Record<string, string> {
  const key = 'glossary_file';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${key}: cannot read ${file}: ${(err as Error).message}`, file, key);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const collector = new TermCollector(file, key);
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      collector.fail(e.linePos?.[0]?.line, `invalid YAML: ${e.message.split('\n')[0]}`);
    }
    if (doc.contents !== null) termsOfYamlMap(doc.contents as YamlNode, lines, collector);
  } else if (ext === '.tsv' || ext === '.tab') {
    rows(text.split(/\r?\n/).map((l, i) => ({ cells: l.split('\t'), line: i + 1, raw: l })), collector, 'a tab');
  } else if (ext === '.csv') {
    rows(csvRows(text, collector), collector, 'a comma');
  } else {
    throw new ConfigError(`${key}: ${file}: unknown glossary format ${JSON.stringify(ext)}; use .tsv, .csv or .yaml`, file, key);
  }
  return collector.terms;
}

interface Row {
  readonly cells: string[];
  readonly line: number;
  readonly raw: string;
}

function rows(list: readonly Row[], collector: TermCollector, separator: string): void {
  let first = true;
  for (const { cells, line, raw } of list) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const isHeader = first && HEADER.test(cells[0]?.trim() ?? '');
    first = false;
    if (isHeader) continue;
    if (cells.length !== 2) {
      collector.fail(line, `expected 2 columns (Indonesian term, English) separated by ${separator}, found ${cells.length}`);
    }
    collector.add(cells[0]!.trim(), cells[1]!.trim(), line);
  }
}

/** RFC 4180 rows, each with the line it starts on; a quoted field may hold commas, quotes ("") and newlines. */
function csvRows(text: string, collector: TermCollector): Row[] {
  const out: Row[] = [];
  let line = 1;
  let i = 0;
  while (i <= text.length) {
    const start = line;
    const startAt = i;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) collector.fail(start, 'a quoted field is not closed');
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          cell += c;
          i++;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          collector.fail(line, 'text after a closing quote; quote the whole field');
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
      }
      cells.push(cell);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    } else if (i >= text.length) i = text.length + 1;
    out.push({ cells, line: start, raw: text.slice(startAt, i).trim() === '' ? '' : cells.join(',') });
  }
  return out;
}
