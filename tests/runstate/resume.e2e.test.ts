/**
 * Runs that survive: kill -9 in the middle and rerun, incremental reruns, settings that must miss
 * the memory, and two runs on one output folder. Real child processes on the generated tiny model,
 * with the default dtype (q8, made batch-invariant, so a resumed run's different batches give the
 * same bytes).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModel } from '../helpers/tiny-model.js';
import { BIN, runCli } from '../cli/cli-helpers.js';

let model: string;
let corpus: string;

const WORDS = ['pemerintah', 'rakyat', 'jalan', 'kota', 'desa', 'sekolah', 'harga', 'beras', 'naik', 'turun', 'menteri', 'rapat', 'besar', 'kecil', 'baru', 'lama', 'air', 'listrik', 'pasar', 'kantor'];

function sentence(f: number, p: number, s: number): string {
  const n = 4 + ((f * 5 + p * 3 + s) % 9);
  const words = Array.from({ length: n }, (_, i) => WORDS[(f * 7 + p * 11 + s * 13 + i * 3) % WORDS.length]);
  return `${words.join(' ')} ${f}-${p}-${s}.`;
}

function writeCorpus(dir: string, files: number): void {
  for (let f = 0; f < files; f++) {
    const paras = [`Judul artikel ${f}`];
    for (let p = 0; p < 4; p++) paras.push(Array.from({ length: 1 + ((f + p) % 3) }, (_, s) => sentence(f, p, s)).join(' '));
    // A sentence shared by every article: translated once, ever.
    paras.push('Baca juga berita lainnya di sini.');
    mkdirSync(join(dir, `bagian-${f % 4}`), { recursive: true });
    writeFileSync(join(dir, `bagian-${f % 4}`, `artikel-${String(f).padStart(3, '0')}.txt`), paras.join('\n\n') + '\n');
  }
}

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      if (n.startsWith('.')) continue;
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

interface Stats {
  files_done: number;
  files_skipped: number;
  files_failed: number;
  segments_translated: number;
  engine_calls: number;
}

const translate = (out: string, extra: string[] = [], input = corpus) => translateWith(out, extra, input);

async function translateWith(out: string, extra: string[], input: string): Promise<{ code: number | null; stats: Stats; stderr: string; stdout: string }> {
  const statsFile = join(mkdtempSync(join(tmpdir(), 'dwb-stats-')), 'stats.json');
  const r = await runCli(['translate', input, '--out', out, '--model', model, '--stats-json', statsFile, ...extra]);
  const stats = existsSync(statsFile) ? (JSON.parse(readFileSync(statsFile, 'utf8')) as Stats) : ({} as Stats);
  return { code: r.code, stats, stderr: r.stderr, stdout: r.stdout };
}

function memoryEntries(out: string): number {
  const db = new Database(join(out, '.dwibahasa', 'memory.sqlite'), { readonly: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type='table'").all() as Array<{ name: string }>;
    const table = tables.map((t) => t.name).find((n) => /translation|entries|memory/i.test(n))!;
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  model = await makeTinyModel();
  corpus = mkdtempSync(join(tmpdir(), 'dwb-corpus-'));
  writeCorpus(corpus, 60);
});

describe('resume after kill -9', () => {
  it('completes on rerun with outputs identical to a clean run, redoing only what the memory lacked', async () => {
    const clean = mkdtempSync(join(tmpdir(), 'dwb-clean-'));
    const first = await translate(clean);
    expect(first.code, first.stderr).toBe(0);
    const total = first.stats.segments_translated;
    expect(total).toBeGreaterThan(100);

    const out = mkdtempSync(join(tmpdir(), 'dwb-killed-'));
    const child = spawn(process.execPath, [BIN, 'translate', corpus, '--out', out, '--model', model], { stdio: 'ignore' });
    // Kill once some files are written but well before the end.
    for (let i = 0; i < 2000; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const dbFile = join(out, '.dwibahasa', 'memory.sqlite');
      if (existsSync(dbFile) && [...files(out).keys()].filter((k) => k.endsWith('.json')).length >= 10) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    // Nothing half-written under a final name: every JSON output that exists parses.
    for (const [name, bytes] of files(out)) if (name.endsWith('.json')) expect(() => JSON.parse(bytes.toString())).not.toThrow();
    const committed = memoryEntries(out);
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(total);

    const rerun = await translate(out);
    expect(rerun.code, rerun.stderr).toBe(0);
    // Everything the memory held at the kill is served from it; only the rest goes to the model.
    expect(rerun.stats.segments_translated).toBeGreaterThan(0);
    expect(rerun.stats.segments_translated).toBeLessThanOrEqual(total - committed);
    expect(files(out)).toEqual(files(clean));
  }, 300_000);
});

describe('incremental reruns', () => {
  it('does no model work when nothing changed, and redoes only a changed file', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-inc-'));
    writeCorpus(input, 12);
    const out = mkdtempSync(join(tmpdir(), 'dwb-inc-out-'));
    expect((await translate(out, [], input)).code).toBe(0);

    const again = await translate(out, [], input);
    expect(again.code).toBe(0);
    expect(again.stats.engine_calls).toBe(0);
    expect(again.stats.files_skipped).toBe(12);
    // The final report is on stdout.
    expect(again.stdout).toMatch(/12 unchanged/);

    const changed = join(input, 'bagian-1', 'artikel-005.txt');
    writeFileSync(changed, readFileSync(changed, 'utf8') + '\nKalimat baru yang belum pernah ada sebelumnya.\n');
    const third = await translate(out, [], input);
    expect(third.stats.files_done).toBe(1);
    expect(third.stats.files_skipped).toBe(11);
    // The new sentence, plus any quality-guard retries of it (the random model trips the guards).
    expect(third.stats.segments_translated).toBeGreaterThanOrEqual(1);
    expect(third.stats.segments_translated).toBeLessThanOrEqual(8);

    // Everything, guard retries included, is in the memory now.
    const forced = await translate(out, ['--force'], input);
    expect(forced.stats.files_done).toBe(12);
    expect(forced.stats.segments_translated).toBe(0);
    expect(forced.stats.engine_calls).toBe(0);
  }, 300_000);

  it('misses the memory when the dtype or a decoding setting changes', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-key-'));
    writeCorpus(input, 3);
    const out = mkdtempSync(join(tmpdir(), 'dwb-key-out-'));
    // Guard retries depend on the translations, so they are off here to count segments exactly.
    const translate = (o: string, extra: string[], i: string) => translateWith(o, ['--set', 'guards.retry=false', ...extra], i);
    const base = await translate(out, ['--beams', '1'], input);
    const n = base.stats.segments_translated;
    expect(n).toBeGreaterThan(0);
    expect((await translate(out, ['--beams', '1', '--force'], input)).stats.segments_translated).toBe(0);
    expect((await translate(out, ['--beams', '2', '--force'], input)).stats.segments_translated).toBe(n);
    expect((await translate(out, ['--beams', '1', '--force', '--set', 'decoding.max_new_tokens_extra=3'], input)).stats.segments_translated).toBe(n);
    const fp32 = await runCli(['translate', input, '--out', out, '--model', model, '--dtype', 'fp32', '--beams', '1', '--force', '--set', 'guards.retry=false', '--stats-json', join(out, 'fp32.json')]);
    expect(fp32.code).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'fp32.json'), 'utf8')) as Stats).segments_translated).toBe(n);
  }, 300_000);
});

describe('one run per output folder', () => {
  it('refuses a second run while the first holds the folder, and takes over a killed run’s lock', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dwb-lock-'));
    const first = spawn(process.execPath, [BIN, 'translate', corpus, '--out', out, '--model', model], { stdio: 'ignore' });
    for (let i = 0; i < 1000 && !existsSync(join(out, '.dwibahasa', 'lock')); i++) await new Promise((r) => setTimeout(r, 10));
    const second = await runCli(['translate', corpus, '--out', out, '--model', model]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/another dwibahasa run \(pid \d+/);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('close', r));
    expect(existsSync(join(out, '.dwibahasa', 'lock'))).toBe(true);
    const third = await translate(out);
    expect(third.code, third.stderr).toBe(0);
  }, 300_000);

  it('goes ahead at once after kill -9 of a run its parent never reaps (a zombie, as in a container without init)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dwb-zombie-'));
    // The shell starts the run in the background and becomes `sleep`, which never wait()s for it.
    const parent = spawn('sh', ['-c', '"$0" "$@" >/dev/null 2>&1 & echo $!; exec sleep 600', process.execPath, BIN, 'translate', corpus, '--out', out, '--model', model], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
      for (let i = 0; i < 3000; i++) {
        await new Promise((r) => setTimeout(r, 10));
        if (existsSync(join(out, '.dwibahasa', 'memory.sqlite')) && [...files(out).keys()].filter((k) => k.endsWith('.json')).length >= 5) break;
      }
      process.kill(pid, 'SIGKILL');
      const state = (): string | undefined => {
        const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return text.slice(text.lastIndexOf(')') + 2).split(' ')[0];
      };
      for (let i = 0; i < 500 && state() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
      expect(state()).toBe('Z');
      expect(existsSync(join(out, '.dwibahasa', 'lock'))).toBe(true);
      const committed = memoryEntries(out);
      expect(committed).toBeGreaterThan(0);

      const next = await translate(out);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toMatch(/another dwibahasa run/);
      // It resumed: all 60 articles are done and the memory kept what the killed run had committed.
      expect(next.stats.files_done + next.stats.files_skipped).toBe(60);
      expect(next.stats.files_failed).toBe(0);
      expect(memoryEntries(out)).toBeGreaterThan(committed);
    } finally {
      parent.kill('SIGKILL');
    }
  }, 300_000);
});
