import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig, settingProblem } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { errorOf } from './helpers.js';

function tempConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dwb-config-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  return file;
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
    expect(errorOf(() => loadConfig(file, { 'queue.nope': '1' })).message).toMatch(/queue\.nope: unknown setting/);
  });

  it('reports every problem at once, from the file and the command line', () => {
    const file = tempConfig('queue:\n  batch_size: many\n  bacth_tokens: 10\nmodel:\n  dtype: int4\n');
    const err = errorOf(() => loadConfig(file, { 'decoding.beams': 'abc' }));
    expect(err.message).toMatch(/^4 configuration problems:/);
    expect(err.message).toContain(`${file}:2: queue.batch_size: expected a whole number from 1 to 256, got "many"`);
    expect(err.message).toContain(`${file}:3: queue.bacth_tokens: unknown key; did you mean queue.batch_tokens?`);
    expect(err.message).toContain(`${file}:5: model.dtype: "int4" is not allowed`);
    // The value as typed, not what Number() made of it (null).
    expect(err.message).toContain('command line: decoding.beams: expected a whole number from 0 to 16, got "abc"');
  });

  it('keeps the YAML code frame: the line and a caret under the column', () => {
    const file = tempConfig('queue:\n  batch_size: [8\n  retries: 2\n');
    const msg = errorOf(() => loadConfig(file)).message;
    expect(msg).toContain(`${file}: invalid YAML`);
    expect(msg).toMatch(/at line 3, column 3:\n\n {2}batch_size: \[8\n {2}retries: 2\n {2}\^$/);
  });

  it('refuses a min_length_ratio above max_length_ratio', () => {
    const file = tempConfig('guards:\n  min_length_ratio: 3\n  max_length_ratio: 1\n');
    expect(errorOf(() => loadConfig(file)).message).toContain('guards.min_length_ratio (3) is above guards.max_length_ratio (1)');
    expect(loadConfig(file, { 'guards.max_length_ratio': '4' }).config.guards.max_length_ratio).toBe(4);
  });

  it('--set glossary.TERM=English adds a glossary entry over the file\'s', () => {
    const file = tempConfig('glossary:\n  MPR: People\'s Consultative Assembly\n');
    const { config } = loadConfig(file, { 'glossary.DPR': 'House', 'glossary.U.S.': 'United States' });
    expect(config.glossary).toEqual({ MPR: "People's Consultative Assembly", DPR: 'House', 'U.S.': 'United States' });
  });

  it('names the nearest key of an unknown setting, or lists the keys of its section', () => {
    expect(errorOf(() => loadConfig(undefined, { 'queue.batch_siz': '3' })).message).toContain('did you mean queue.batch_size?');
    const msg = errorOf(() => loadConfig(undefined, { 'foo.bar': '1' })).message;
    expect(msg).toContain('known keys: model.id,');
    expect(msg).toContain('glossary.TERM');
  });

  it('says what is wrong with a flag value by itself, for the flag to name', () => {
    expect(settingProblem('queue.batch_size', '-3')).toBe('expected a whole number from 1 to 256, got "-3" (out of range)');
    expect(settingProblem('decoding.beams', '4')).toBeUndefined();
  });

  it('reads a glossary mapping', () => {
    const { config } = loadConfig(tempConfig('glossary:\n  DPR: House of Representatives\n'));
    expect(config.glossary).toEqual({ DPR: 'House of Representatives' });
  });
});
