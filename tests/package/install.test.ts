/**
 * The package as a user gets it: `npm pack` on a clean copy of the working tree (so `dist/` must
 * come from the pack's own build), the tarball installed offline into an empty folder, then the
 * installed `dwibahasa` run: --help, --version, and a translation with a generated test model.
 *
 * Offline: the machine's npm cache holds the dependency tarballs but not every registry document,
 * so the empty project gets a lockfile made from this project's (the tested dependency tree); npm
 * then reads every tarball from the cache and never asks the network (`--offline`).
 * onnxruntime-node's install script is told to skip its CUDA download by ONNXRUNTIME_NODE_INSTALL,
 * the mechanism the README gives users; offline, an attempted download would fail the install.
 * better-sqlite3 compiles its addon from source when offline (minutes), so its script is denied
 * and this checkout's compiled addon (same Node) is copied in.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModel } from '../helpers/tiny-model.js';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const NPM = 'npm';

/** The environment without the npm_* variables of the `npm test` that started us. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

interface LockEntry {
  version?: string;
  resolved?: string;
  name?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

/** A lockfile for a project that depends only on the tarball: this project's runtime tree under it. */
function consumerLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const spec = `file:${tarball}`;
  const packages: Record<string, object> = {
    '': { name: 'app', dependencies: { dwibahasa: spec } },
    'node_modules/dwibahasa': {
      version: pkg['version'],
      resolved: spec,
      license: pkg['license'],
      dependencies: pkg['dependencies'],
      bin: pkg['bin'],
      engines: pkg['engines'],
    },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.dev === true || entry.link === true) continue;
    const { devOptional: _, ...rest } = entry;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    // The lockfile omits registry URLs; npm needs them to find the tarballs without the registry.
    const resolved = entry.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
    packages[key] = { ...rest, resolved };
  }
  return { name: 'app', lockfileVersion: 3, requires: true, packages };
}

describe('installable package', () => {
  let tmp: string;
  let app: string;
  let tarball: string;
  let files: string[];
  let packWarnings: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'dwb-pack-'));
    // A clean copy of the working tree: tracked and new files, no dist/, this node_modules.
    const src = join(tmp, 'src');
    const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 64 << 20 });
    for (const rel of stdout.split('\0')) {
      if (rel === '' || !existsSync(join(ROOT, rel))) continue;
      mkdirSync(dirname(join(src, rel)), { recursive: true });
      cpSync(join(ROOT, rel), join(src, rel));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
    const packed = await run(NPM, ['pack', '--json', '--pack-destination', tmp], { cwd: src, env: cleanEnv(), maxBuffer: 64 << 20 });
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packWarnings = packed.stderr;
    tarball = join(tmp, info[0]!.filename);
    files = info[0]!.files.map((f) => f.path);

    app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, dependencies: { dwibahasa: `file:${tarball}` }, allowScripts: { 'better-sqlite3': false } }, null, 2),
    );
    writeFileSync(join(app, 'package-lock.json'), JSON.stringify(consumerLock(tarball), null, 2));
    await run(NPM, ['ci', '--offline', '--no-audit', '--no-fund'], {
      cwd: app,
      env: cleanEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip' }),
      maxBuffer: 64 << 20,
    });
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    mkdirSync(dirname(join(app, addon)), { recursive: true });
    cpSync(join(ROOT, addon), join(app, addon));
  }, 400_000);

  afterAll(() => {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  it('ships the compiled CLI and library, the config and the bin, and no tests or sources', () => {
    expect(files).toEqual(expect.arrayContaining(['bin/dwibahasa.js', 'dist/src/cli/main.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'config.yaml', 'package.json', 'README.md']));
    expect(files.filter((f) => /^(tests|bench|src|testmodel|scripts|\.ci)\//.test(f) || f.startsWith('.npmrc'))).toEqual([]);
  });

  it('packs without npm warning about unknown config keys', () => {
    expect(packWarnings).not.toMatch(/unknown (project|user|cli|env) config/i);
  });

  it('installed offline without fetching onnxruntime-node\'s CUDA libraries', () => {
    const bin = join(app, 'node_modules/onnxruntime-node/bin/napi-v6', process.platform, process.arch);
    expect(readdirSync(bin).filter((f) => /cuda|tensorrt/i.test(f))).toEqual([]);
  });

  it('answers `npx dwibahasa --help` and --version', async () => {
    const help = await run('npx', ['--no-install', 'dwibahasa', '--help'], { cwd: app, env: cleanEnv() });
    expect(help.stdout).toContain('dwibahasa translate <file-or-folder>');
    const version = await run('npx', ['--no-install', 'dwibahasa', '--version'], { cwd: app, env: cleanEnv() });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('translates a file with the generated test model', async () => {
    const model = await makeTinyModel();
    const input = join(app, 'artikel.md');
    writeFileSync(input, '# Judul\n\nPemerintah akan membangun jalan baru. Debian adalah sistem operasi bebas.\n');
    const out = join(app, 'out');
    await run('npx', ['--no-install', 'dwibahasa', 'translate', input, '--out', out, '--model', model, '--concurrency', '1'], {
      cwd: app,
      env: cleanEnv(),
      maxBuffer: 16 << 20,
    });
    const json = JSON.parse(readFileSync(join(out, 'artikel.id-en.json'), 'utf8')) as { model: { id: string }; blocks: Array<{ target: string }> };
    expect(json.model.id).toBe('tiny');
    expect(json.blocks.filter((b) => b.target.trim() !== '')).toHaveLength(2);
    expect(existsSync(join(out, 'artikel.id-en.html'))).toBe(true);
    rmSync(dirname(model), { recursive: true, force: true });
  });
});
