import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isModelComplete, MODEL_OPTIONS, modelFolderName } from '../../bench/model.js';
import { TEST_MODEL_VERSION } from '../../testmodel/generate.js';

describe('isModelComplete', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'dwb-bench-model-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const make = (name: string, marker: unknown): string => {
    const dir = path.join(root, name);
    mkdirSync(path.join(dir, 'onnx'), { recursive: true });
    writeFileSync(path.join(dir, 'config.json'), '{}');
    writeFileSync(path.join(dir, 'onnx', 'encoder_model.onnx'), 'abcd');
    if (marker !== undefined) writeFileSync(path.join(dir, '.bench-complete.json'), JSON.stringify(marker));
    return dir;
  };
  const files = { 'config.json': 2, 'onnx/encoder_model.onnx': 4 };

  it('accepts a folder whose files match its marker', () => {
    expect(isModelComplete(make('ok', { version: TEST_MODEL_VERSION, options: MODEL_OPTIONS, files }))).toBe(true);
  });

  it('rejects a folder without a marker (generation cut short)', () => {
    expect(isModelComplete(make('nomarker', undefined))).toBe(false);
  });

  it('rejects a truncated or missing file', () => {
    const dir = make('truncated', { version: TEST_MODEL_VERSION, options: MODEL_OPTIONS, files });
    writeFileSync(path.join(dir, 'onnx', 'encoder_model.onnx'), 'ab');
    expect(isModelComplete(dir)).toBe(false);
    const dir2 = make('missing', { version: TEST_MODEL_VERSION, options: MODEL_OPTIONS, files: { ...files, 'onnx/decoder_model_merged.onnx': 10 } });
    expect(isModelComplete(dir2)).toBe(false);
  });

  it('rejects a folder generated with other options', () => {
    expect(isModelComplete(make('other', { version: TEST_MODEL_VERSION, options: { ...MODEL_OPTIONS, seed: 1 }, files }))).toBe(false);
  });

  it('rejects a folder written by an older generator (or with no version)', () => {
    expect(isModelComplete(make('old', { version: TEST_MODEL_VERSION - 1, options: MODEL_OPTIONS, files }))).toBe(false);
    expect(isModelComplete(make('unversioned', { options: MODEL_OPTIONS, files }))).toBe(false);
  });

  it('names the cache folder after the generator options', () => {
    expect(modelFolderName()).toBe('model-full-seed0-both-eos');
  });
});
