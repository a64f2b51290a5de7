/** Issue 9, point 6: a run removes the temp files a killed run left in its output folder, never a live writer's. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepStaleTemps } from '../../src/runstate/sweep.js';
import { isAtomicTempName } from '../../src/write/atomic.js';

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

const tempName = (base: string, pid: number): string => `.${base}.${pid}.0123456789ab.tmp`;

describe('sweepStaleTemps', () => {
  it('removes temp files of a writer killed with SIGKILL mid-write, in every sub-folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dwb-sweep-'));
    mkdirSync(join(out, 'news'));
    // A writer that has opened its temp file and written half of it, then hangs until killed.
    const script = `
      const fs = require('node:fs');
      const name = '.' + 'artikel.id-en.html' + '.' + process.pid + '.' + 'abcdef012345' + '.tmp';
      const fd = fs.openSync(require('node:path').join(process.argv[1], name), 'wx');
      fs.writeSync(fd, '<!doctype html><p>half');
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script, join(out, 'news')], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const left = readdirSync(join(out, 'news'));
    expect(left).toHaveLength(1);
    expect(isAtomicTempName(left[0]!)).toBe(true);

    // While the writer lives, its temp file stays.
    expect((await sweepStaleTemps(out)).removed).toEqual([]);
    expect(readdirSync(join(out, 'news'))).toEqual(left);

    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const { removed } = await sweepStaleTemps(out);
    expect(removed).toEqual([join(out, 'news', left[0]!)]);
    expect(readdirSync(join(out, 'news'))).toEqual([]);
  });

  it('removes stale temps of dead pids, and keeps outputs, other dot files, its own pid\'s temps and what links lead to', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dwb-sweep-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'dwb-sweep-else-'));
    const dead = deadPid();
    mkdirSync(join(out, '.dwibahasa'));
    writeFileSync(join(out, 'a.id-en.json'), '{}');
    writeFileSync(join(out, tempName('a.id-en.json', dead)), '{"half');
    writeFileSync(join(out, '.dwibahasa', tempName('run.json', dead)), '{');
    writeFileSync(join(out, '.hidden-notes'), 'mine');
    writeFileSync(join(out, tempName('b.en.txt', process.pid)), 'in flight');
    writeFileSync(join(elsewhere, tempName('c.en.txt', dead)), 'not ours');
    symlinkSync(elsewhere, join(out, 'link'));
    const { removed } = await sweepStaleTemps(out);
    expect([...removed].sort()).toEqual([join(out, '.dwibahasa', tempName('run.json', dead)), join(out, tempName('a.id-en.json', dead))].sort());
    expect(existsSync(join(out, 'a.id-en.json'))).toBe(true);
    expect(existsSync(join(out, '.hidden-notes'))).toBe(true);
    expect(existsSync(join(out, tempName('b.en.txt', process.pid)))).toBe(true);
    expect(existsSync(join(elsewhere, tempName('c.en.txt', dead)))).toBe(true);
  });
});
