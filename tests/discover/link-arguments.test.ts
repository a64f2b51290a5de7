/** Issue 9, point 9: a symbolic link named on the command line is said to be one, with where it leads. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, type DiscoverItem } from '../../src/discover/walk.js';

async function all(args: string[]): Promise<DiscoverItem[]> {
  const items: DiscoverItem[] = [];
  for await (const item of discover(args, { include: ['**/*.txt'], exclude: [] })) items.push(item);
  return items;
}

describe('a symbolic link as an argument', () => {
  it('to a readable regular file: a note saying where it leads, then the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dwb-link-'));
    const target = path.join(dir, 'elsewhere', 'passwd');
    mkdirSync(path.dirname(target));
    writeFileSync(target, 'root:x:0:0\n');
    symlinkSync(target, path.join(dir, 'a.txt'));
    const items = await all([path.join(dir, 'a.txt')]);
    expect(items).toEqual([
      { path: path.join(dir, 'a.txt'), note: `is a symbolic link to ${target}; translating the file it leads to` },
      { absPath: path.join(dir, 'a.txt'), relPath: 'a.txt', root: path.join(dir, 'a.txt') },
    ]);
  });

  it('to a folder: a note, then the folder is walked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dwb-link-'));
    mkdirSync(path.join(dir, 'real'));
    writeFileSync(path.join(dir, 'real', 'x.txt'), 'Halo.\n');
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'via'));
    const items = await all([path.join(dir, 'via')]);
    expect(items).toEqual([
      { path: path.join(dir, 'via'), note: `is a symbolic link to ${path.join(dir, 'real')}; translating the folder it leads to` },
      { absPath: path.join(dir, 'via', 'x.txt'), relPath: 'x.txt', root: path.join(dir, 'via') },
    ]);
  });

  it('to something that is not a regular file (a FIFO): refused, saying where it leads', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dwb-link-'));
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    symlinkSync(path.join(dir, 'pipe'), path.join(dir, 'p.txt'));
    const items = await all([path.join(dir, 'p.txt')]);
    expect(items).toEqual([
      { path: path.join(dir, 'p.txt'), reason: `symbolic link to ${path.join(dir, 'pipe')}, which is neither a regular file nor a folder; not followed` },
    ]);
  });

  // root reads every file whatever its mode, so only another user can see this refusal.
  it.skipIf(process.getuid?.() === 0)('to a file the user cannot read: refused, saying where it leads', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dwb-link-'));
    writeFileSync(path.join(dir, 'secret'), 'x\n', { mode: 0o000 });
    symlinkSync(path.join(dir, 'secret'), path.join(dir, 's.txt'));
    const items = await all([path.join(dir, 's.txt')]);
    expect(items).toEqual([expect.objectContaining({ path: path.join(dir, 's.txt'), reason: expect.stringMatching(/^symbolic link to .*secret, which cannot be read/) })]);
  });
});
