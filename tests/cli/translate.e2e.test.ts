import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAll, parseXml } from '../write/xml-check.js';
import { makeTinyModel } from '../helpers/tiny-model.js';
import { ROOT, runCli } from './cli-helpers.js';

let model: string;

beforeAll(async () => {
  model = await makeTinyModel();
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const SAMPLES = join(ROOT, 'samples');

describe('dwibahasa translate, end to end on the tiny model', () => {
  it('writes all five formats for every sample, exit code 0', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dwb-e2e-'));
    // As `npm start` does: the article folders.
    const folders = [join(SAMPLES, 'articles'), join(SAMPLES, 'markdown')];
    const r = await runCli(['translate', ...folders, '--out', out, '--model', model]);
    expect(r.stderr).not.toMatch(/MarianTokenizer/);
    expect(r.code, r.stderr).toBe(0);
    const inputs = folders.flatMap((f) => walk(f).map((p) => [f, p] as const)).filter(([, p]) => /\.(txt|md)$/.test(p));
    expect(inputs.length).toBeGreaterThanOrEqual(10);
    for (const [folder, input] of inputs) {
      const rel = relative(folder, input).replace(/\.(txt|md)$/, '');
      const base = join(out, rel);
      const isMd = input.endsWith('.md');
      for (const ext of ['.id-en.md', '.id-en.html', '.id-en.json', '.id-en.tmx', isMd ? '.en.md' : '.en.txt']) {
        expect(existsSync(base + ext), base + ext).toBe(true);
      }
      const json = JSON.parse(readFileSync(base + '.id-en.json', 'utf8')) as { blocks: Array<{ marker?: string; source: string; trailer?: string; segments: unknown[] }> };
      expect(json.blocks.length).toBeGreaterThan(0);
      expect(json.blocks.some((b) => b.segments.length > 0)).toBe(true);
      const tmx = readFileSync(base + '.id-en.tmx', 'utf8');
      const units = findAll(parseXml(tmx), 'tu');
      expect(units.length).toBe(json.blocks.reduce((n, b) => n + b.segments.length, 0));
    }
    // The report on stdout (so `> log` keeps it), the per-file lines on stderr.
    expect(r.stdout).toMatch(/Files: \d+ translated, 0 unchanged, 0 failed/);
    expect(r.stdout).toMatch(/tokens\/s/);
    // Ten articles through the CLI: about 20 s alone, over a minute when the whole suite shares two cores.
  }, 300_000);

  it('exits 1 when some files fail, still writing the others, with each reason in the summary', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-e2e-in-'));
    const out = mkdtempSync(join(tmpdir(), 'dwb-e2e-out-'));
    writeFileSync(join(input, 'baik sekali — ü.txt'), 'Judul\n\nIni kalimat yang baik.\n');
    writeFileSync(join(input, 'kosong.txt'), '\n  \n');
    writeFileSync(join(input, 'latin1.txt'), Buffer.from('Judul\n\nCaf\xe9 enak.\n', 'latin1'));
    mkdirSync(join(input, 'loop'));
    symlinkSync('..', join(input, 'loop', 'up'));
    const r = await runCli(['translate', input, '--out', out, '--model', model, '--formats', 'json']);
    expect(r.code, r.stderr).toBe(1);
    expect(existsSync(join(out, 'baik sekali — ü.id-en.json'))).toBe(true);
    expect(r.stdout).toMatch(/kosong\.txt: .*empty/);
    expect(r.stdout).toMatch(/latin1\.txt: .*UTF-8/);
  });

  it('stops with one clear message and exit code 2 when the model is missing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dwb-e2e-out-'));
    const cfgDir = mkdtempSync(join(tmpdir(), 'dwb-e2e-cfg-'));
    writeFileSync(join(cfgDir, 'config.yaml'), 'model:\n  dir: empty-models\n  download: never\n');
    const r = await runCli(['translate', SAMPLES, '--out', out, '--config', join(cfgDir, 'config.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(cfgDir, 'empty-models', 'Xenova', 'opus-mt-id-en'));
    expect(r.stderr).toContain('dwibahasa model fetch Xenova/opus-mt-id-en');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops before any work on a config error, naming file, line and key', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dwb-e2e-out-'));
    const cfgDir = mkdtempSync(join(tmpdir(), 'dwb-e2e-cfg-'));
    writeFileSync(join(cfgDir, 'config.yaml'), 'queue:\n  batch_size: 8\n  bacth_tokens: 10\n');
    const r = await runCli(['translate', SAMPLES, '--out', out, '--config', join(cfgDir, 'config.yaml'), '--model', model]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('config.yaml:3');
    expect(r.stderr).toContain('queue.bacth_tokens');
    expect(readdirSync(out).filter((n) => !n.startsWith('.'))).toEqual([]);
  });

  it('rejects wrong usage with exit code 2', async () => {
    expect((await runCli(['translate', SAMPLES])).code).toBe(2);
    expect((await runCli(['translate', SAMPLES, '--out', '/tmp/x', '--formats', 'pdf'])).stderr).toMatch(/"pdf" is not allowed/);
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });
});

describe('what must reach the English exactly', () => {
  it('keeps URLs, e-mail addresses, handles, hashtags, code and keep terms through the random model', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-e2e-spans-'));
    const out = mkdtempSync(join(tmpdir(), 'dwb-e2e-spans-out-'));
    const cfgDir = mkdtempSync(join(tmpdir(), 'dwb-e2e-cfg-'));
    writeFileSync(join(cfgDir, 'config.yaml'), 'segment:\n  keep: [Falcot Corp]\nglossary:\n  DPR: House of Representatives\n');
    const spans = ['https://www.debian.org/News/weekly/', 'debian-news@lists.debian.org', '@DebianProject', '#DebConf24', '`apt-get update`', 'Falcot Corp'];
    writeFileSync(
      join(input, 'tautan.md'),
      '# Berita\n\nBaca https://www.debian.org/News/weekly/ atau tulis ke debian-news@lists.debian.org sekarang.\n\n' +
        'Ikuti @DebianProject dan #DebConf24 lalu jalankan `apt-get update` di kantor Falcot Corp bersama DPR.\n',
    );
    const r = await runCli(['translate', input, '--out', out, '--model', model, '--config', join(cfgDir, 'config.yaml'), '--formats', 'txt,json']);
    expect(r.code, r.stderr).toBe(0);
    const english = readFileSync(join(out, 'tautan.en.md'), 'utf8');
    for (const s of spans) expect(english).toContain(s);
    expect(english).toContain('House of Representatives');
    expect(english).not.toMatch(/\bDPR\b/);
  });
});

describe('translation memory problems', () => {
  it('stops with a clear message on a corrupt memory, and --reset-memory starts a fresh one', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-e2e-mem-'));
    const out = mkdtempSync(join(tmpdir(), 'dwb-e2e-mem-out-'));
    writeFileSync(join(input, 'a.txt'), 'Judul\n\nSatu kalimat.\n');
    mkdirSync(join(out, '.dwibahasa'), { recursive: true });
    const bad = join(out, '.dwibahasa', 'memory.sqlite');
    writeFileSync(bad, Buffer.alloc(8192, 0x5a));
    const r = await runCli(['translate', input, '--out', out, '--model', model, '--formats', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain('--reset-memory');
    expect(existsSync(join(out, 'a.id-en.json'))).toBe(false);
    const again = await runCli(['translate', input, '--out', out, '--model', model, '--formats', 'json', '--reset-memory']);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(join(out, '.dwibahasa')).some((n) => n.startsWith('memory.sqlite.bad-'))).toBe(true);
  });
});
