import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig } from '../../src/config/load.js';
import { resolveModelsRoot, userModelsDir } from '../../src/model/models-root.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'dwb-root-'));
}

/** No config file: defaults only, as when run from a folder without config.yaml. */
function noConfig(cwd: string) {
  return { config: defaultConfig(), file: undefined, baseDir: cwd, given: new Set<string>() };
}

describe('resolveModelsRoot', () => {
  const home = '/home/u';

  it('takes model.dir of the config file, relative to the file, wherever the user is', () => {
    const cfgDir = folder();
    writeFileSync(join(cfgDir, 'config.yaml'), 'model:\n  dir: my-models\n');
    const loaded = loadConfig(join(cfgDir, 'config.yaml'));
    const r = resolveModelsRoot(loaded, { env: { DWIBAHASA_MODELS: '/elsewhere' }, cwd: folder(), home });
    expect(r).toMatchObject({ dir: join(cfgDir, 'my-models'), source: 'config' });
    expect(r.why).toContain(`model.dir in ${join(cfgDir, 'config.yaml')}`);
  });

  it('a config file without model.dir does not decide: DWIBAHASA_MODELS does', () => {
    const cfgDir = folder();
    writeFileSync(join(cfgDir, 'config.yaml'), 'queue:\n  batch_size: 4\n');
    const cwd = folder();
    const r = resolveModelsRoot(loadConfig(join(cfgDir, 'config.yaml')), { env: { DWIBAHASA_MODELS: 'shared/models' }, cwd, home });
    expect(r).toMatchObject({ dir: join(cwd, 'shared/models'), source: 'env' });
  });

  it('else ./models when it holds the configured model', () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'models', 'Xenova', 'opus-mt-id-en'), { recursive: true });
    expect(resolveModelsRoot(noConfig(cwd), { env: {}, cwd, home }).source).toBe('cache');
    writeFileSync(join(cwd, 'models', 'Xenova', 'opus-mt-id-en', 'config.json'), '{}');
    expect(resolveModelsRoot(noConfig(cwd), { env: {}, cwd, home })).toMatchObject({ dir: join(cwd, 'models'), source: 'cwd' });
  });

  it('else the per-user cache, honouring an absolute XDG_CACHE_HOME', () => {
    const cwd = folder();
    expect(resolveModelsRoot(noConfig(cwd), { env: {}, cwd, home }).dir).toBe('/home/u/.cache/dwibahasa/models');
    expect(userModelsDir({ env: { XDG_CACHE_HOME: '/var/cache/u' }, home })).toBe('/var/cache/u/dwibahasa/models');
    expect(userModelsDir({ env: { XDG_CACHE_HOME: 'relative' }, home })).toBe('/home/u/.cache/dwibahasa/models');
  });
});
