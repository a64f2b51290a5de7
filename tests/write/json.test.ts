import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/write/json.js';
import { MD_DOC, MD_INPUT, TEXT_DOC, TEXT_INPUT } from './fixtures.js';

interface JsonBlock {
  kind: string;
  marker?: string;
  source: string;
  target: string;
  trailer?: string;
  segments: { source: string; target: string; flags?: string[]; error?: string }[];
  translated?: boolean;
}

describe('renderJson', () => {
  it('parses, and marker + source + trailer over blocks gives the input back', () => {
    for (const [doc, input] of [
      [TEXT_DOC, TEXT_INPUT],
      [MD_DOC, MD_INPUT],
    ] as const) {
      const json = renderJson(doc);
      expect(json.endsWith('}\n')).toBe(true);
      const parsed = JSON.parse(json) as { blocks: JsonBlock[] };
      expect(parsed.blocks.map((b) => (b.marker ?? '') + b.source + (b.trailer ?? '')).join('')).toBe(input);
    }
  });

  it('writes the documented keys in a fixed order, pretty-printed', () => {
    const json = renderJson(MD_DOC);
    const parsed = JSON.parse(json) as Record<string, unknown> & {
      source: object;
      model: { decoding: object };
      blocks: object[];
    };
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'languages', 'source', 'model', 'blocks']);
    expect(parsed['schemaVersion']).toBe(1);
    expect(parsed['languages']).toEqual({ source: 'id', target: 'en' });
    expect(parsed.source).toEqual({ path: 'catatan.md', sha256: 'e'.repeat(64) });
    expect(Object.keys(parsed.model)).toEqual(['id', 'dtype', 'hash', 'decoding']);
    expect(Object.keys(parsed.model.decoding)).toEqual(['aPenalty', 'earlyStopping', 'maxNewTokens', 'numBeams']);
    expect(Object.keys(parsed.blocks[0]!)).toEqual(['kind', 'source', 'target', 'trailer', 'segments', 'translated']);
    expect(Object.keys(parsed.blocks[1]!)).toEqual(['kind', 'level', 'marker', 'source', 'target', 'trailer', 'segments']);
    expect(json).toContain('\n  "source": {\n    "path": "catatan.md",');
  });

  it('gives byte-identical output whatever order the decoding settings came in', () => {
    const reordered = {
      ...MD_DOC,
      model: { ...MD_DOC.model, decoding: { aPenalty: 'none', earlyStopping: true, numBeams: 4, maxNewTokens: 256 } },
    };
    expect(renderJson(reordered)).toBe(renderJson(MD_DOC));
  });

  it('keeps flags, errors, untranslated blocks and hostile text intact', () => {
    const parsed = JSON.parse(renderJson(TEXT_DOC)) as { blocks: JsonBlock[] };
    const [, para, failed] = parsed.blocks;
    expect(para!.segments[1]).toEqual({
      source: "Kata 'dia': <script>window.__pwned=1</script>!\nBaris kedua\u0007 di sini.",
      target: "He said 'she': <script>window.__pwned=2</script>!\nSecond line\u0007 here.",
      flags: ['repetition'],
    });
    expect(para!.segments[0]).toEqual({ source: 'Harga naik 5% | turun 3%.', target: 'Prices rose 5% | fell 3%.' });
    expect(failed!.segments[1]).toEqual({ source: 'Kalimat gagal.', target: '', error: 'model crashed <oops> | "bad"' });
    expect(para).not.toHaveProperty('translated');
    const md = JSON.parse(renderJson(MD_DOC)) as { blocks: JsonBlock[] };
    expect(md.blocks[5]).toMatchObject({ kind: 'code', translated: false, segments: [] });
    expect(md.blocks[5]!.target).toBe(md.blocks[5]!.source);
  });
});
