/** `dwibahasa translate samples` (the README's example) takes only the sample articles. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INCLUDE, discover, isDiscoverNote, isDiscoverProblem } from '../../src/discover/walk.js';

const ROOT = join(__dirname, '../..');

describe('samples/', () => {
  it('holds only the articles SAMPLES.md lists, so no English documentation is translated', async () => {
    const listed = readFileSync(join(ROOT, 'SAMPLES.md'), 'utf8');
    const found: string[] = [];
    for await (const item of discover([join(ROOT, 'samples')], { include: DEFAULT_INCLUDE, exclude: [] })) {
      if (!isDiscoverProblem(item) && !isDiscoverNote(item)) found.push(item.relPath);
    }
    expect(found.length).toBeGreaterThanOrEqual(10);
    expect(found.filter((rel) => !listed.includes(basename(rel)))).toEqual([]);
  });
});
