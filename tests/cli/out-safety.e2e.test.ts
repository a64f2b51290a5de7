/**
 * Issue 9 through the built CLI: --out that is an input folder (points 1), stale temp files swept
 * at start (point 6), a symbolic link named on the command line (point 9).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModel } from '../helpers/tiny-model.js';
import { runCli } from './cli-helpers.js';

let model: string;

beforeAll(async () => {
  model = await makeTinyModel();
});

const temp = (p: string): string => mkdtempSync(join(tmpdir(), p));

describe('dwibahasa translate keeps outputs apart from inputs', () => {
  it('refuses --out equal to the input folder with exit 2, before writing anything', async () => {
    const input = temp('dwb-cli-in-');
    writeFileSync(join(input, 'x.txt'), 'Ini kalimat yang baik.\n');
    writeFileSync(join(input, 'x.en.txt'), 'My own English, not to be replaced.\n');
    const r = await runCli(['translate', input, '--out', input, '--model', model]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/is the input folder/);
    expect(readdirSync(input).sort()).toEqual(['x.en.txt', 'x.txt']);
    expect(readFileSync(join(input, 'x.en.txt'), 'utf8')).toBe('My own English, not to be replaced.\n');
  });

  it('refuses --out that contains the input folder', async () => {
    const out = temp('dwb-cli-out-');
    mkdirSync(join(out, 'articles'));
    writeFileSync(join(out, 'articles', 'x.txt'), 'Ini kalimat yang baik.\n');
    const r = await runCli(['translate', join(out, 'articles'), '--out', out, '--model', model]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/contains the input folder/);
    expect(existsSync(join(out, '.dwibahasa'))).toBe(false);
  });

  it('sweeps temp files a killed run left, and says a command-line link is one and where it leads', async () => {
    const input = temp('dwb-cli-in-');
    const elsewhere = temp('dwb-cli-else-');
    const out = temp('dwb-cli-out-');
    writeFileSync(join(elsewhere, 'asli.txt'), 'Ini kalimat dari tempat lain.\n');
    symlinkSync(join(elsewhere, 'asli.txt'), join(input, 'tautan.txt'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = `.tautan.id-en.json.${dead}.0123456789ab.tmp`;
    writeFileSync(join(out, stale), '{"half');
    const r = await runCli(['translate', join(input, 'tautan.txt'), '--out', out, '--model', model, '--formats', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, stale))).toBe(false);
    expect(r.stderr).toMatch(/removed 1 temp file/);
    expect(r.stderr).toContain(`${join(input, 'tautan.txt')} is a symbolic link to ${join(elsewhere, 'asli.txt')}`);
    expect(existsSync(join(out, 'tautan.id-en.json'))).toBe(true);
  });
});
