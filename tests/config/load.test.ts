import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

function tempConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dwb-config-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('the shipped config.yaml states exactly the defaults', () => {
    const shipped = loadConfig(join(__dirname, '../../config.yaml')).config;
    expect(shipped).toEqual(defaultConfig());
  });

  it('fills missing keys with defaults', () => {
    const { config } = loadConfig(tempConfig('queue:\n  batch_size: 4\n'));
    expect(config.queue.batch_size).toBe(4);
    expect(config.queue.batch_tokens).toBe(4096);
    expect(config.model.dtype).toBe('q8');
  });

  it('rejects an unknown key, naming file, line and key', () => {
    const file = tempConfig('model:\n  dtype: q8\n  dtpye: fp32\n');
    const err = errorOf(() => loadConfig(file));
    expect(err.message).toContain(`${file}:3`);
    expect(err.message).toContain('model.dtpye');
    expect(err.message).toContain('unknown key');
    expect(err.key).toBe('model.dtpye');
  });

  it('rejects a value outside the allowed set, listing what is allowed', () => {
    const err = errorOf(() => loadConfig(tempConfig('model:\n  dtype: int4\n')));
    expect(err.message).toMatch(/model\.dtype: "int4" is not allowed; use one of: q8, fp32/);
  });

  it('rejects wrong types and ranges', () => {
    expect(errorOf(() => loadConfig(tempConfig('queue:\n  batch_size: many\n'))).message).toMatch(/queue\.batch_size: expected a whole number/);
    expect(errorOf(() => loadConfig(tempConfig('queue:\n  batch_size: 0\n'))).message).toMatch(/out of range/);
    expect(errorOf(() => loadConfig(tempConfig('output:\n  formats: [md, pdf]\n'))).message).toMatch(/"pdf" is not allowed/);
    expect(errorOf(() => loadConfig(tempConfig('memory:\n  enabled: yes please\n'))).message).toMatch(/expected true or false/);
  });

  it('reports invalid YAML with the file name', () => {
    const file = tempConfig('model: [unclosed\n');
    expect(errorOf(() => loadConfig(file)).message).toContain(file);
  });

  it('command-line overrides win and are checked', () => {
    const file = tempConfig('queue:\n  batch_size: 4\n');
    expect(loadConfig(file, { 'queue.batch_size': '32' }).config.queue.batch_size).toBe(32);
    expect(loadConfig(file, { 'output.formats': 'json,tmx' }).config.output.formats).toEqual(['json', 'tmx']);
    expect(errorOf(() => loadConfig(file, { 'queue.batch_size': 'x' })).message).toMatch(/command line: queue\.batch_size/);
    expect(errorOf(() => loadConfig(file, { 'queue.nope': '1' })).message).toMatch(/unknown setting queue\.nope/);
  });

  it('reads a glossary mapping', () => {
    const { config } = loadConfig(tempConfig('glossary:\n  DPR: House of Representatives\n'));
    expect(config.glossary).toEqual({ DPR: 'House of Representatives' });
  });
});
