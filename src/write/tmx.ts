/**
 * `.id-en.tmx`: sentence pairs as a TMX 1.4b translation memory, for CAT tools
 * (OmegaT, Trados, memoQ). Only real translations go in: failed segments and blocks that
 * are copied rather than translated are left out.
 */
import type { TranslatedDocument } from '../types.js';
import { publicModelId } from './common.js';

/** Written into the TMX header; keep in step with package.json. */
export const TMX_TOOL_VERSION = '0.1.0';

/** Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed. */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** TMX 1.4 dates are ISO 8601 basic format in UTC: YYYYMMDDThhmmssZ. */
export function tmxDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function renderTmx(doc: TranslatedDocument): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<tmx version="1.4">',
    `  <header creationtool="dwibahasa" creationtoolversion="${xmlText(TMX_TOOL_VERSION)}"` +
      ' datatype="plaintext" segtype="sentence" adminlang="en" srclang="id" o-tmf="dwibahasa">',
    `    <prop type="x-dwibahasa-model">${xmlText(`${publicModelId(doc.model)} ${doc.model.dtype} ${doc.model.hash}`)}</prop>`,
    '  </header>',
    '  <body>',
  ];
  for (const block of doc.blocks) {
    if (!block.translate) continue;
    for (const seg of block.segments) {
      if (seg.error !== undefined) continue;
      const source = xmlText(seg.source.trim());
      const target = xmlText(seg.target.trim());
      if (source === '' || target === '') continue;
      // A person's translation carries TMX's own change attributes, which CAT tools show and sort by.
      const date = seg.reviewed !== undefined ? tmxDate(seg.reviewed) : '';
      out.push(seg.reviewed !== undefined ? `    <tu changeid="dwibahasa-review"${date !== '' ? ` changedate="${date}"` : ''}>` : '    <tu>');
      if (seg.reviewed !== undefined) out.push('      <prop type="x-dwibahasa-origin">human</prop>');
      if (seg.flags !== undefined && seg.flags.length > 0) {
        out.push(`      <prop type="x-dwibahasa-flags">${xmlText(seg.flags.join(','))}</prop>`);
      }
      out.push(
        `      <tuv xml:lang="id"><seg>${source}</seg></tuv>`,
        `      <tuv xml:lang="en"><seg>${target}</seg></tuv>`,
        '    </tu>',
      );
    }
  }
  out.push('  </body>', '</tmx>');
  return out.join('\n') + '\n';
}
