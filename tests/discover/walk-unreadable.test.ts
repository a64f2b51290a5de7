/**
 * Tests run as root here, where chmod 000 does not stop readdir; so the failure is injected.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const denied = new Set<string>();

vi.mock('node:fs/promises', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...orig,
    readdir: (async (p: string, opts: unknown) => {
      if (denied.has(String(p))) {
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(p)}'`), { code: 'EACCES' });
      }
      return orig.readdir(p, opts as Parameters<typeof orig.readdir>[1]);
    }) as typeof orig.readdir,
  };
});

const { discover, isDiscoverNote, isDiscoverProblem } = await import('../../src/discover/walk.js');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'dwb-walk-denied-'));
  await mkdir(path.join(tmp, 'root', 'locked'), { recursive: true });
  await writeFile(path.join(tmp, 'root', 'locked', 'x.md'), 'x');
  await writeFile(path.join(tmp, 'root', 'ok.md'), 'ok');
  await writeFile(path.join(tmp, 'root', 'zz.md'), 'zz');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('discover with an unreadable folder', () => {
  it('reports the folder and goes on with the rest', async () => {
    const root = path.join(tmp, 'root');
    denied.add(path.join(root, 'locked'));
    const seen: string[] = [];
    for await (const item of discover([root], { include: ['**/*.md'], exclude: [] })) {
      if (!isDiscoverNote(item)) seen.push(isDiscoverProblem(item) ? `${path.relative(root, item.path)}: ${item.reason}` : item.relPath);
    }
    expect(seen).toEqual(['locked: cannot read folder: permission denied (EACCES)', 'ok.md', 'zz.md']);
  });

  it('reports an unreadable folder argument', async () => {
    const root = path.join(tmp, 'root');
    denied.add(root);
    const seen: unknown[] = [];
    for await (const item of discover([root], { include: ['**/*.md'], exclude: [] })) seen.push(item);
    expect(seen).toEqual([{ path: root, reason: 'cannot read folder: permission denied (EACCES)' }]);
  });
});
