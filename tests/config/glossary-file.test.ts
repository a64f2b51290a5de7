/**
 * Issue 9, point 8: large glossaries load in linear time, duplicates are found with the line of
 * each copy, and a glossary can live in its own TSV, CSV or YAML file.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { errorOf } from './helpers.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dwb-gloss-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const N = 100_000;

describe('a glossary of 100,000 terms', () => {
  it('inline in config.yaml loads (the duplicate check is a Set, not the parser\'s pairwise one)', () => {
    const lines = ['glossary:'];
    for (let i = 0; i < N; i++) lines.push(`  istilah${i}: term ${i}`);
    const dir = folder({ 'config.yaml': lines.join('\n') + '\n' });
    const { config } = loadConfig(join(dir, 'config.yaml'));
    expect(Object.keys(config.glossary)).toHaveLength(N);
    expect(config.glossary['istilah99999']).toBe('term 99999');
  });

  it('in a TSV file loads', () => {
    const rows = ['term\tenglish', '# exported from the newsroom list'];
    for (let i = 0; i < N; i++) rows.push(`istilah ${i}\tterm ${i}`);
    const dir = folder({ 'config.yaml': 'glossary_file: terms/list.tsv\n', 'terms/list.tsv': rows.join('\n') + '\n' });
    const { config } = loadConfig(join(dir, 'config.yaml'));
    expect(Object.keys(config.glossary)).toHaveLength(N);
    expect(config.glossary['istilah 0']).toBe('term 0');
  });
});

describe('duplicates', () => {
  it('of a glossary term name both lines', () => {
    const dir = folder({ 'config.yaml': 'glossary:\n  DPR: House of Representatives\n  KPK: KPK\n  DPR: the House\n' });
    const err = errorOf(() => loadConfig(join(dir, 'config.yaml')));
    expect(err.message).toBe(`${join(dir, 'config.yaml')}:4: glossary: duplicate term "DPR" (first given at line 2); keep one`);
  });

  it('of any other key name both lines', () => {
    const dir = folder({ 'config.yaml': 'queue:\n  batch_size: 4\n  batch_size: 8\n' });
    const err = errorOf(() => loadConfig(join(dir, 'config.yaml')));
    expect(err.message).toBe(`${join(dir, 'config.yaml')}:3: queue.batch_size: duplicate key (first given at ${join(dir, 'config.yaml')}:2)`);
  });
});

describe('glossary_file', () => {
  it('reads CSV with quoted fields, relative to the config file, and lets inline entries override it', () => {
    const csv = 'source,target\n"Bank Indonesia","Bank Indonesia, the central bank"\nDPR,House of Representatives\n"kata ""kutip""",quoted word\n';
    const dir = folder({ 'cfg/config.yaml': 'glossary_file: ../g.csv\nglossary:\n  DPR: the House\n', 'g.csv': csv });
    const { config } = loadConfig(join(dir, 'cfg', 'config.yaml'));
    expect({ ...config.glossary }).toEqual({
      'Bank Indonesia': 'Bank Indonesia, the central bank',
      DPR: 'the House',
      'kata "kutip"': 'quoted word',
    });
  });

  it('reads YAML', () => {
    const dir = folder({ 'config.yaml': 'glossary_file: g.yml\n', 'g.yml': 'pemilu: election\nPolri: National Police\n' });
    expect({ ...loadConfig(join(dir, 'config.yaml')).config.glossary }).toEqual({ pemilu: 'election', Polri: 'National Police' });
  });

  it.each([
    ['g.tsv', 'a\tb\nDPR\tHouse\nKPK\n', 'g.tsv:3: glossary_file: expected 2 columns (Indonesian term, English) separated by a tab, found 1'],
    ['g.tsv', 'DPR\tHouse\nKPK\tKPK\nDPR\tthe House\n', 'g.tsv:3: glossary_file: duplicate term "DPR" (first given at line 1); keep one'],
    ['g.csv', 'DPR,House\n"KPK,KPK\n', 'g.csv:2: glossary_file: a quoted field is not closed'],
    ['g.csv', 'DPR,\n', 'g.csv:1: glossary_file: term "DPR" has no English'],
    ['g.yaml', 'DPR: House\nDPR: again\n', 'g.yaml:2: glossary_file: duplicate term "DPR" (first given at line 1); keep one'],
  ])('names the file and line of a bad entry (%s)', (name, text, message) => {
    const dir = folder({ 'config.yaml': `glossary_file: ${name}\n`, [name]: text });
    const err = errorOf(() => loadConfig(join(dir, 'config.yaml')));
    expect(err.message).toBe(`${join(dir, message)}`);
  });

  it('refuses an unknown format and a missing file, naming it', () => {
    const dir = folder({ 'config.yaml': 'glossary_file: g.txt\n', 'g.txt': 'DPR House\n' });
    expect(errorOf(() => loadConfig(join(dir, 'config.yaml'))).message).toMatch(/g\.txt: unknown glossary format "\.txt"; use \.tsv, \.csv or \.yaml/);
    const dir2 = folder({ 'config.yaml': 'glossary_file: none.tsv\n' });
    expect(errorOf(() => loadConfig(join(dir2, 'config.yaml'))).message).toContain(`cannot read ${join(dir2, 'none.tsv')}`);
  });
});
