/**
 * `.id-en.json`: the aligned document for tools (alignment, corpus building, review).
 * Keys are written in a fixed order so that the same translation gives byte-identical files.
 */
import type { TranslatedBlock, TranslatedDocument, TranslatedSegment } from '../types.js';

function segmentJson(s: TranslatedSegment): Record<string, unknown> {
  return {
    source: s.source,
    target: s.target,
    ...(s.flags !== undefined && s.flags.length > 0 ? { flags: [...s.flags] } : {}),
    ...(s.error !== undefined ? { error: s.error } : {}),
    ...(s.reviewed !== undefined ? { reviewed: s.reviewed } : {}),
  };
}

function blockJson(b: TranslatedBlock): Record<string, unknown> {
  return {
    kind: b.kind,
    ...(b.level !== undefined ? { level: b.level } : {}),
    ...(b.related === true ? { related: true } : {}),
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
  const value = {
    // The relative path: the file must not depend on where the input folder sat on this machine.
    source: { path: doc.source.relPath, sha256: doc.source.sha256 },
    model: {
      id: doc.model.id,
      dtype: doc.model.dtype,
      hash: doc.model.hash,
      decoding: sortedRecord(doc.model.decoding),
    },
    blocks: doc.blocks.map(blockJson),
  };
  return JSON.stringify(value, null, 2) + '\n';
}
