import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ModelError } from '../../src/errors.js';
import {
  checkModelDir,
  describeOnnxLoadError,
  fetchFiles,
  requiredFiles,
  resolveModelDir,
} from '../../src/model/files.js';

describe('requiredFiles / fetchFiles', () => {
  it('lists the JSON files and the quantized ONNX files for q8', () => {
    expect(requiredFiles('q8')).toEqual([
      'config.json',
      'generation_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/encoder_model_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
    ]);
  });

  it('lists the plain ONNX files for fp32', () => {
    expect(requiredFiles('fp32').slice(4)).toEqual(['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']);
  });

  it('fetches the JSON files once and both ONNX variants for "both"', () => {
    const both = fetchFiles('both');
    expect(both).toHaveLength(8);
    expect(new Set(both).size).toBe(8);
    expect(both).toContain('onnx/encoder_model.onnx');
    expect(both).toContain('onnx/decoder_model_merged_quantized.onnx');
    expect(fetchFiles('q8')).toEqual(requiredFiles('q8'));
  });
});

describe('resolveModelDir', () => {
  it('puts a model id under the models root', () => {
    expect(resolveModelDir('models', 'Xenova/opus-mt-id-en')).toBe(path.join('models', 'Xenova', 'opus-mt-id-en'));
    expect(resolveModelDir('/srv/models', 'opus')).toBe(path.join('/srv/models', 'opus'));
  });

  it('uses absolute and ./ ../ paths as they are', () => {
    expect(resolveModelDir('models', '/opt/marian')).toBe('/opt/marian');
    expect(resolveModelDir('models', './my-model')).toBe('my-model');
    expect(resolveModelDir('models', '../shared/model')).toBe(path.join('..', 'shared', 'model'));
  });

  it('uses a path inside the models root as it is rather than nesting it again', () => {
    expect(resolveModelDir('models', 'models/Xenova/opus-mt-id-en')).toBe(path.join('models', 'Xenova', 'opus-mt-id-en'));
  });

  it('rejects ids that climb out of the models root', () => {
    for (const bad of ['Xenova/../../etc', 'a/./b', 'a\\b', 'C:\\models\\x', '', 'a//b']) {
      expect(() => resolveModelDir('models', bad), bad).toThrow(ConfigError);
    }
    try {
      resolveModelDir('models', 'x/../../y', { file: 'config.yaml', key: 'model.id' });
    } catch (e) {
      expect(e).toMatchObject({ file: 'config.yaml', key: 'model.id' });
      expect((e as Error).message).toContain('x/../../y');
    }
  });
});

describe('checkModelDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dwb-files-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  async function populate(files: string[], config: object = { model_type: 'marian' }): Promise<void> {
    await mkdir(path.join(dir, 'onnx'), { recursive: true });
    for (const f of files) {
      await writeFile(path.join(dir, f), f === 'config.json' ? JSON.stringify(config) : 'x');
    }
  }

  const caught = (fn: () => void): ModelError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      return e as ModelError;
    }
    throw new Error('expected a ModelError');
  };

  it('accepts a complete folder', async () => {
    await populate(requiredFiles('q8'));
    expect(() => checkModelDir(dir, 'q8')).not.toThrow();
  });

  it('names a missing folder and the fetch command', () => {
    const missing = path.join(dir, 'nope');
    const e = caught(() => checkModelDir(missing, 'q8', { modelId: 'Xenova/opus-mt-id-en' }));
    expect(e.message).toContain(missing);
    expect(e.message).toContain('does not exist');
    expect(e.message).toContain('onnx/decoder_model_merged_quantized.onnx');
    expect(e.message).toContain('npx dwibahasa model fetch Xenova/opus-mt-id-en --dtype q8');
    expect(e.folder).toBe(missing);
  });

  it('names every missing file in one message, with the dtype in the command', async () => {
    await populate(['config.json', 'generation_config.json', 'tokenizer_config.json', 'onnx/encoder_model.onnx']);
    const e = caught(() => checkModelDir(dir, 'fp32', { modelId: 'me/model' }));
    expect(e.message).toContain(dir);
    expect(e.message).toContain('tokenizer.json');
    expect(e.message).toContain('onnx/decoder_model_merged.onnx');
    expect(e.message).not.toContain('onnx/encoder_model.onnx,');
    expect(e.message).toContain('npx dwibahasa model fetch me/model --dtype fp32');
  });

  it('treats an empty file as not there and mentions a partial download', async () => {
    await populate(requiredFiles('q8').filter((f) => !f.includes('decoder')));
    await writeFile(path.join(dir, 'onnx/decoder_model_merged_quantized.onnx'), '');
    await writeFile(path.join(dir, 'onnx/encoder_model.onnx.part'), 'xx');
    const e = caught(() => checkModelDir(dir, 'q8'));
    expect(e.message).toContain('empty onnx/decoder_model_merged_quantized.onnx');
    expect(e.message).toContain('onnx/encoder_model.onnx.part');
  });

  it('points at the other dtype when that one is complete', async () => {
    await populate(requiredFiles('fp32'));
    const e = caught(() => checkModelDir(dir, 'q8'));
    expect(e.message).toContain('--dtype fp32');
  });

  it('says what model_type it found when it is not marian', async () => {
    await populate(requiredFiles('q8'), { model_type: 'bart' });
    const e = caught(() => checkModelDir(dir, 'q8'));
    expect(e.message).toContain('"bart"');
    expect(e.message).toContain('marian');
  });

  it('reports a config.json that is not JSON', async () => {
    await populate(requiredFiles('q8'));
    await writeFile(path.join(dir, 'config.json'), '{ "model_type": ');
    const e = caught(() => checkModelDir(dir, 'q8'));
    expect(e.message).toContain('config.json is not valid JSON');
  });
});

describe('describeOnnxLoadError', () => {
  it('names the file, the runtime error and the fix', () => {
    const file = 'models/Xenova/opus-mt-id-en/onnx/encoder_model_quantized.onnx';
    const msg = describeOnnxLoadError(
      file,
      new Error(`Load model from ${file} failed:Protobuf parsing failed.\n    at stack`),
      { modelId: 'Xenova/opus-mt-id-en' },
    );
    expect(msg).toMatch(/^models\/Xenova\/opus-mt-id-en\/onnx\/encoder_model_quantized\.onnx is not a valid ONNX model \(/);
    expect(msg).toContain('Protobuf parsing failed.');
    expect(msg).not.toContain('at stack');
    expect(msg).toContain('delete it and run the fetch command again');
    expect(msg).toContain('--dtype q8');
  });
});
