/**
 * `.id-en.json`: the aligned document for tools (alignment, corpus building, review).
 * Keys are written in a fixed order so that the same translation gives byte-identical files.
 */
import type { TranslatedBlock, TranslatedDocument, TranslatedSegment } from '../types.js';
import { publicModelId } from './common.js';

/**
 * Version of the file's layout, raised whenever a key changes meaning or goes away (new keys may
 * appear without it). 1: first versioned layout.
 */
export const JSON_SCHEMA_VERSION = 1;

function segmentJson(s: TranslatedSegment): Record<string, unknown> {
  return {
    source: s.source,
    target: s.target,
    ...(s.flags !== undefined && s.flags.length > 0 ? { flags: [...s.flags] } : {}),
    ...(s.error !== undefined ? { error: s.error } : {}),
    ...(s.reviewed !== undefined ? { reviewed: s.reviewed } : {}),
  };
}

function blockJson(b: TranslatedBlock, table: number): Record<string, unknown> {
  return {
    kind: b.kind,
    ...(b.level !== undefined ? { level: b.level } : {}),
    ...(b.related === true ? { related: true } : {}),
    // Pipe-table cells: which table of the file (from 0), row (0 = header) and column.
    ...(b.cell !== undefined
      ? { table: { index: table, row: b.cell.row, column: b.cell.column, ...(b.cell.align ? { align: b.cell.align } : {}) } }
      : {}),
    ...(b.marker !== '' ? { marker: b.marker } : {}),
    source: b.source,
    target: b.translate ? b.target : b.source,
    // With the trailer the file is lossless: marker + source + trailer over blocks gives the input back.
    ...(b.trailer !== '' ? { trailer: b.trailer } : {}),
    segments: b.segments.map(segmentJson),
    ...(b.translate ? {} : { translated: false }),
  };
}

function sortedRecord<T>(rec: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(rec).sort()) out[key] = rec[key] as T;
  return out;
}

export function renderJson(doc: TranslatedDocument): string {
  let table = -1;
  const blocks = doc.blocks.map((b) => {
    if (b.cell !== undefined && b.cell.row === 0 && b.cell.column === 0) table++;
    return blockJson(b, table);
  });
  const value = {
    schemaVersion: JSON_SCHEMA_VERSION,
    // BCP 47 codes of the source text and of its translation.
    languages: { source: 'id', target: 'en' },
    // The relative path: the file must not depend on where the input folder sat on this machine.
    source: { path: doc.source.relPath, sha256: doc.source.sha256 },
    model: {
      id: publicModelId(doc.model),
      dtype: doc.model.dtype,
      hash: doc.model.hash,
      decoding: sortedRecord(doc.model.decoding),
    },
    blocks,
  };
  return JSON.stringify(value, null, 2) + '\n';
}
