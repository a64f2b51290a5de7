import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareCodePoints, discover, isDiscoverNote, isDiscoverProblem, type DiscoverProblem } from '../../src/discover/walk.js';
import type { SourceFile } from '../../src/types.js';

let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'dwb-walk-'));
});
afterEach(async () => {
  await chmod(path.join(tmp, 'root', 'locked'), 0o755).catch(() => undefined);
  await rm(tmp, { recursive: true, force: true });
});

async function touch(rel: string, text = 'isi'): Promise<string> {
  const p = path.join(tmp, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, text);
  return p;
}

async function collect(
  args: readonly string[],
  include: readonly string[] = ['**/*.txt', '**/*.md'],
  exclude: readonly string[] = [],
): Promise<{ files: SourceFile[]; problems: DiscoverProblem[] }> {
  const files: SourceFile[] = [];
  const problems: DiscoverProblem[] = [];
  for await (const item of discover(args, { include, exclude })) {
    if (isDiscoverProblem(item)) problems.push(item);
    else if (!isDiscoverNote(item)) files.push(item);
  }
  return { files, problems };
}

const rels = (files: SourceFile[]): string[] => files.map((f) => f.relPath);

describe('discover', () => {
  it('walks nested folders in code-point order of relative paths, skipping hidden names and other extensions', async () => {
    await touch('root/b.md');
    await touch('root/a/z.txt');
    await touch('root/a-b.txt'); // "-" sorts before "/": must come before a/z.txt
    await touch('root/a/deep/x.md');
    await touch('root/Z.txt'); // upper case sorts before lower case in code-point order
    await touch('root/.hidden.md');
    await touch('root/.git/config.md');
    await touch('root/a/.drafts/secret.txt');
    await touch('root/image.png');
    await touch('root/readme.MD'); // globs are case-sensitive
    const root = path.join(tmp, 'root');
    const { files, problems } = await collect([root]);
    expect(problems).toEqual([]);
    expect(rels(files)).toEqual(['Z.txt', 'a-b.txt', 'a/deep/x.md', 'a/z.txt', 'b.md']);
    expect(files[2]).toEqual({ absPath: path.join(root, 'a', 'deep', 'x.md'), relPath: 'a/deep/x.md', root });
  });

  it('orders astral characters by code point, not UTF-16 unit', async () => {
    await touch('root/\u{FF21}.txt'); // FULLWIDTH A, U+FF21
    await touch('root/\u{1F600}.txt'); // emoji, U+1F600: a larger code point but a smaller first UTF-16 unit
    const { files } = await collect([path.join(tmp, 'root')]);
    expect(rels(files)).toEqual(['\u{FF21}.txt', '\u{1F600}.txt']);
    expect(compareCodePoints('\u{FF21}', '\u{1F600}')).toBeLessThan(0);
  });

  it('applies include and exclude globs to relative paths, excluded folders pruned', async () => {
    await touch('root/news/a.md');
    await touch('root/news/b.txt');
    await touch('root/drafts/c.md');
    await touch('root/opini/d.md');
    const root = path.join(tmp, 'root');
    expect(rels((await collect([root], ['**/*.md'], ['drafts/**'])).files)).toEqual(['news/a.md', 'opini/d.md']);
    expect(rels((await collect([root], ['{news,opini}/*.md'], [])).files)).toEqual(['news/a.md', 'opini/d.md']);
    expect(rels((await collect([root], ['**/*.md'], ['drafts', 'opini'])).files)).toEqual(['news/a.md']);
    // An empty include list means the default one.
    expect(rels((await collect([root], [], ['**/*.md'])).files)).toEqual(['news/b.txt']);
  });

  it('keeps spaces and non-ASCII characters in names', async () => {
    await touch('root/Berita Utama/Pemilu 2024 — hasil akhir.md');
    await touch('root/ringkasan café.txt');
    const root = path.join(tmp, 'root');
    const { files } = await collect([root]);
    expect(rels(files)).toEqual(['Berita Utama/Pemilu 2024 — hasil akhir.md', 'ringkasan café.txt']);
    expect(files[0]?.absPath).toBe(path.join(root, 'Berita Utama', 'Pemilu 2024 — hasil akhir.md'));
  });

  it('follows links that stay inside the folder, reporting links outside, loops and broken links', async () => {
    await touch('root/real/a.md');
    await touch('root/hidden-target/.x.md');
    await touch('outside/secret.md');
    await touch('root/shared/s.md');
    const root = path.join(tmp, 'root');
    await symlink(path.join(tmp, 'outside'), path.join(root, 'escape'));
    await symlink(path.join(tmp, 'outside', 'secret.md'), path.join(root, 'escape.md'));
    await symlink('../real', path.join(root, 'real', 'loop')); // real/loop → real
    await symlink('nowhere.md', path.join(root, 'broken.md'));
    await symlink('shared/s.md', path.join(root, 'link-to-s.md')); // same real file as shared/s.md
    await mkdir(path.join(root, 'zz'));
    await symlink('../shared', path.join(root, 'zz', 'shared-again')); // a folder already walked
    await symlink('real/a.md', path.join(root, 'b-link.md')); // sorted before real/a.md, so it wins
    const { files, problems } = await collect([root]);
    expect(rels(files)).toEqual(['b-link.md', 'link-to-s.md']);
    // The link's path is kept (not the resolved one).
    expect(files[0]?.absPath).toBe(path.join(root, 'b-link.md'));
    const byPath = new Map(problems.map((p) => [path.relative(root, p.path), p.reason]));
    expect([...byPath.keys()].sort()).toEqual(['broken.md', 'escape', 'escape.md', 'real/loop']);
    expect(byPath.get('broken.md')).toMatch(/broken symbolic link/);
    expect(byPath.get('escape')).toMatch(/outside the input folder.*not followed/);
    expect(byPath.get('escape.md')).toMatch(/outside the input folder/);
    expect(byPath.get('real/loop')).toMatch(/loop/);
  });

  it('yields problems in walk order, between the files around them', async () => {
    await touch('root/a.md');
    await touch('root/c.md');
    const root = path.join(tmp, 'root');
    await symlink('missing', path.join(root, 'b.md'));
    const order: string[] = [];
    for await (const item of discover([root], { include: ['**/*.md'], exclude: [] })) {
      if (!isDiscoverNote(item)) order.push(isDiscoverProblem(item) ? `!${path.basename(item.path)}` : item.relPath);
    }
    expect(order).toEqual(['a.md', '!b.md', 'c.md']);
  });

  it('takes a file argument as is, whatever the globs, and reports a missing argument', async () => {
    const file = await touch('notes/artikel.html');
    const missing = path.join(tmp, 'nope');
    const { files, problems } = await collect([file, missing], ['**/*.md']);
    expect(files).toEqual([{ absPath: file, relPath: 'artikel.html', root: file }]);
    expect(problems).toEqual([{ path: missing, reason: 'no such file or folder' }]);
  });

  it('yields the same real file once when two arguments reach it', async () => {
    const file = await touch('root/sub/a.md');
    await touch('root/b.md');
    const root = path.join(tmp, 'root');
    const { files } = await collect([root, file, path.join(root, 'sub')]);
    expect(rels(files)).toEqual(['b.md', 'sub/a.md']);
  });

  it('streams: the first file arrives before later folders are read', async () => {
    await touch('root/a/1.md');
    await touch('root/b/2.md');
    const root = path.join(tmp, 'root');
    const gen = discover([root], { include: ['**/*.md'], exclude: [] });
    const first = await gen.next();
    expect(first.value).toMatchObject({ relPath: 'a/1.md' });
    // A file added to a later folder after the first yield is still found: that folder had not been read yet.
    await touch('root/b/3.md');
    const rest: string[] = [];
    for await (const item of gen) if (!isDiscoverProblem(item) && !isDiscoverNote(item)) rest.push(item.relPath);
    expect(rest).toEqual(['b/2.md', 'b/3.md']);
  });

  it('skips FIFOs and other special files without hanging', async () => {
    await touch('root/a.md');
    const root = path.join(tmp, 'root');
    execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
    const { files, problems } = await collect([root]);
    expect(rels(files)).toEqual(['a.md']);
    expect(problems).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable folder and goes on', async () => {
    await touch('root/locked/x.md');
    await touch('root/ok.md');
    const root = path.join(tmp, 'root');
    await chmod(path.join(root, 'locked'), 0o000);
    const { files, problems } = await collect([root]);
    expect(rels(files)).toEqual(['ok.md']);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.reason).toMatch(/cannot read folder: permission denied/);
  });
});
