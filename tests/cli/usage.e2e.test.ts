/**
 * What a newcomer meets on the command line: exit codes that follow the README (2 before anything
 * is written), flag errors by the flag typed, the report on stdout and progress on stderr,
 * --dry-run, --quiet, Ctrl-C, terminal-safe names, and the models folder from any folder.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModel } from '../helpers/tiny-model.js';
import { BIN, ROOT, runCli } from './cli-helpers.js';

let model: string;
beforeAll(async () => {
  model = await makeTinyModel();
});

const temp = (name: string): string => mkdtempSync(join(tmpdir(), `dwb-usage-${name}-`));

function articles(count: number): string {
  const dir = temp('in');
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `a${String(i).padStart(2, '0')}.txt`), `Judul ${i}\n\nPemerintah membangun jalan baru nomor ${i}. Harga beras naik lagi.\n`);
  return dir;
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('exit codes: usage, config and model errors are 2, and nothing is written', () => {
  it('a nonexistent input path', async () => {
    const out = join(temp('out'), 'o');
    const r = await runCli(['translate', join(ROOT, 'samples', 'nothere'), '--out', out, '--model', model]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist');
    expect(existsSync(out)).toBe(false);
  });

  it('--out pointing at a file', async () => {
    const file = join(temp('out'), 'file.txt');
    writeFileSync(file, 'x');
    const r = await runCli(['translate', join(ROOT, 'samples', 'articles'), '--out', file, '--model', model]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} is a file`);
    expect(existsSync(join(file, '..', '.dwibahasa'))).toBe(false);
  });

  it('a missing model leaves no OUT/.dwibahasa, and says in a few lines how to get it or try the test model', async () => {
    const out = join(temp('out'), 'o');
    const cfgDir = temp('cfg');
    writeFileSync(join(cfgDir, 'config.yaml'), 'model:\n  dir: empty-models\n  download: never\n');
    const r = await runCli(['translate', join(ROOT, 'samples', 'articles'), '--out', out, '--config', join(cfgDir, 'config.yaml')]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(r.stderr).toContain(`Its files go in ${join(cfgDir, 'empty-models', 'Xenova', 'opus-mt-id-en')}`);
    expect(r.stderr).toContain('npm run make-test-model -- --preset tiny --out models/test/tiny\n');
    expect(r.stderr).toContain('npx dwibahasa translate samples/articles --out out --model models/test/tiny\n');
    for (const line of r.stderr.trimEnd().split('\n')) expect(line.length).toBeLessThan(200);
  });

  it('flag errors name the flag typed, all at once; a negative number is a value, not "ambiguous"', async () => {
    const r = await runCli(['translate', 'x', '-o', temp('out'), '--beams', 'abc', '--batch-size', '-3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--beams wants a whole number from 0 to 16, got "abc"');
    expect(r.stderr).toContain('--batch-size wants a whole number from 1 to 256, got "-3" (out of range)');
    expect(r.stderr).not.toContain('ambiguous');
  });
});

describe('a run', () => {
  it('puts the report on stdout and progress on stderr; --set glossary.TERM works; a rerun reports unchanged files', async () => {
    const input = articles(2);
    const out = temp('out');
    const r = await runCli(['translate', input, '-o', out, '-m', model, '-f', 'json', '--set', 'glossary.Pemerintah=The Government']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Files: 2 translated, 0 unchanged, 0 failed \(2 in all\)/);
    expect(r.stdout).toMatch(/Segments: \d+ segments sent for translation = \d+ by the model \+ \d+ from the translation memory \+ \d+ repeated in this run \+ 0 failed/);
    expect(r.stderr).toMatch(/^done .*a00\.txt \(\d+ segments?, [\d.]+ s\)$/m);
    expect(r.stderr).not.toContain('Files:');
    const again = await runCli(['translate', input, '-o', out, '-m', model, '-f', 'json', '--set', 'glossary.Pemerintah=The Government']);
    expect(again.stdout).toMatch(/^Files: 0 translated, 2 unchanged/);
  });

  it('--dry-run says what would be translated and how much the memory holds, writes nothing, loads no model', async () => {
    const input = articles(3);
    const out = join(temp('out'), 'o');
    const dry = await runCli(['translate', input, '-o', out, '-m', model, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(dry.stdout).toMatch(/Files: 3 to translate, 0 unchanged, 0 that cannot be read \(3 in all\)/);
    const segments = Number(/Segments: (\d+) segments/.exec(dry.stdout)![1]);
    expect(segments).toBeGreaterThanOrEqual(6);
    expect(dry.stdout).toContain('0 of those already in the translation memory');

    // Translate one of the three; the dry run then finds its segments in the memory.
    const one = temp('one');
    cpSync(join(input, 'a00.txt'), join(one, 'a00.txt'));
    expect((await runCli(['translate', one, '-o', out, '-m', model, '-f', 'json'])).code).toBe(0);
    const files = readdirSync(join(out, '.dwibahasa')).sort();
    const after = await runCli(['translate', input, '-o', out, '-m', model, '-n']);
    expect(after.stdout).toMatch(/translate +.*a00\.txt: \d+ segments, [1-9]\d* already in the memory/);
    expect(after.stdout).toMatch(/translate +.*a01\.txt: \d+ segments?, \d+ already in the memory/);
    expect(after.stdout).not.toContain('0 of those already');
    expect(readdirSync(join(out, '.dwibahasa')).sort()).toEqual(files);
  });

  it('--quiet prints nothing when all goes well, and each failure once', async () => {
    const input = articles(1);
    writeFileSync(join(input, 'kosong.txt'), '\n');
    const r = await runCli(['translate', input, '-o', temp('out'), '-m', model, '-f', 'json', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^FAILED .*kosong\.txt: file is empty/)]);
  });

  it('shows file names with ESC and newlines, and quoted sentences with OSC 0, escaped; never raw', async () => {
    const input = temp('esc');
    const nasty = 'judul\u001b[31m\nmerah';
    writeFileSync(join(input, `${nasty}.txt`), 'Judul \u001b]0;pwned\u0007 baru\n\nKalimat \u001b]0;title\u0007 dengan judul.\n');
    writeFileSync(join(input, `${nasty}-latin1.txt`), Buffer.from('Caf\xe9 \x1b]0;x\x07 enak.\n', 'latin1'));
    const out = temp('out');
    for (const args of [['-f', 'json'], ['-n']]) {
      const r = await runCli(['translate', input, '-o', out, '-m', model, ...args]);
      expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
      expect(r.stdout + r.stderr).toContain('judul\\x1b[31m\\nmerah');
    }
  });

  it('Ctrl-C finishes the file in flight, says what was kept, exits 130; the rerun resumes', async () => {
    const input = articles(40);
    const out = temp('out');
    const args = [BIN, 'translate', input, '-o', out, '-m', model, '-f', 'json', '--set', 'queue.files_in_flight=1', '--set', 'engine.workers=1'];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/^done /m.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('Stopping: finishing the files in flight');
    expect(stdout).toMatch(/Stopped early \(Ctrl-C\): \d+ files? written; every sentence translated so far is kept in the translation memory/);
    expect(stdout).toContain('Run the same command again to resume');
    const written = Number(/Files: (\d+) translated/.exec(stdout)![1]);
    expect(written).toBeLessThan(40);
    const rerun = await runCli(args.slice(1));
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`Files: ${40 - written} translated, ${written} unchanged, 0 failed`);
  }, 300_000);
});

describe('models folder', () => {
  it('model info from another folder names the folder and why, and the missing default model, exit 1', async () => {
    const cwd = temp('cwd');
    const cache = temp('xdg');
    const r = await runCli(['model', 'info'], { cwd, env: { XDG_CACHE_HOME: cache, DWIBAHASA_MODELS: '' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Models folder: ${join(cache, 'dwibahasa', 'models')}`);
    expect(r.stdout).toContain('the per-user cache');
    expect(r.stdout).toContain('Model to use: Xenova/opus-mt-id-en (q8) is MISSING');
  });

  it('translate from another folder finds the model in DWIBAHASA_MODELS', async () => {
    const models = temp('models');
    mkdirSync(join(models, 'test'));
    cpSync(model, join(models, 'test', 'tiny'), { recursive: true });
    const env = { DWIBAHASA_MODELS: models };
    const info = await runCli(['model', 'info', '-m', 'test/tiny'], { cwd: temp('cwd'), env });
    expect(info.code, info.stdout).toBe(0);
    expect(info.stdout).toContain('the DWIBAHASA_MODELS environment variable');
    expect(info.stdout).toContain(`Model to use: test/tiny (q8) is installed in ${join(models, 'test', 'tiny')}`);
    const r = await runCli(['translate', articles(1), '-o', temp('out'), '-m', 'test/tiny', '-f', 'json'], { cwd: temp('cwd'), env });
    expect(r.code, r.stderr).toBe(0);
  });
});
