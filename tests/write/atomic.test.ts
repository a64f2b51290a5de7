import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputError } from '../../src/errors.js';
import { isAtomicTempName, writeFileAtomic, type AtomicFs } from '../../src/write/atomic.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'dwibahasa-atomic-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** Real fs, except that writes put half the bytes on disk and then fail with `code`. */
function failingHalfWay(code: string): AtomicFs {
  return {
    mkdir: (p, o) => fs.mkdir(p, o),
    rename: (a, b) => fs.rename(a, b),
    unlink: (p) => fs.unlink(p),
    async open(p, flags, mode) {
      const real = await fs.open(p, flags, mode);
      return {
        async write(buf, offset, length, position) {
          const half = Math.max(1, Math.floor(length / 2));
          await real.write(buf, offset, half, position);
          throw errno(code);
        },
        sync: () => real.sync(),
        close: () => real.close(),
      };
    },
  };
}

describe('writeFileAtomic', () => {
  it('writes the data, creating parent folders, and replaces an existing file', async () => {
    const target = join(dir, 'a', 'b', 'x.id-en.md');
    await writeFileAtomic(target, 'pertama ✓');
    expect(await fs.readFile(target, 'utf8')).toBe('pertama ✓');
    await writeFileAtomic(target, new Uint8Array([104, 105]), { fsync: false });
    expect(await fs.readFile(target, 'utf8')).toBe('hi');
    expect(await fs.readdir(join(dir, 'a', 'b'))).toEqual(['x.id-en.md']);
  });

  it('on a write that fails half-way leaves nothing under the final name and no temp file', async () => {
    const target = join(dir, 'out', 'x.id-en.html');
    const err = await writeFileAtomic(target, 'x'.repeat(10_000), { fs: failingHalfWay('ENOSPC') }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).path).toBe(target);
    expect((err as OutputError).message).toContain(target);
    expect((err as OutputError).message).toContain('disk full');
    expect(await fs.readdir(join(dir, 'out'))).toEqual([]);
  });

  it('keeps the old file intact when overwriting fails', async () => {
    const target = join(dir, 'x.json');
    await fs.writeFile(target, 'old');
    await expect(writeFileAtomic(target, 'new content', { fs: failingHalfWay('EROFS') })).rejects.toThrow(
      /read-only file system \(EROFS\)/,
    );
    expect(await fs.readFile(target, 'utf8')).toBe('old');
    expect(await fs.readdir(dir)).toEqual(['x.json']);
  });

  it('removes the temp file when the rename fails', async () => {
    const target = join(dir, 'x.tmx');
    const broken: AtomicFs = {
      mkdir: (p, o) => fs.mkdir(p, o),
      open: (p, f, m) => fs.open(p, f, m),
      unlink: (p) => fs.unlink(p),
      rename: () => Promise.reject(errno('EACCES')),
    };
    await expect(writeFileAtomic(target, 'data', { fs: broken })).rejects.toThrow(/not writable \(EACCES\)/);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('reports a file in the way of the output folder', async () => {
    await fs.writeFile(join(dir, 'blocker'), '');
    const err = await writeFileAtomic(join(dir, 'blocker', 'x.md'), 'data').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputError);
    expect((err as Error).message).toMatch(/cannot create output folder .*blocker/);
  });

  it('refuses to replace a folder with a file', async () => {
    await fs.mkdir(join(dir, 'x.md'));
    await expect(writeFileAtomic(join(dir, 'x.md'), 'data')).rejects.toBeInstanceOf(OutputError);
    expect(await fs.readdir(dir)).toEqual(['x.md']);
  });

  it('names temp files so leftovers can be recognised', async () => {
    const seen: string[] = [];
    const spy: AtomicFs = {
      mkdir: (p, o) => fs.mkdir(p, o),
      open: (p, f, m) => (seen.push(p), fs.open(p, f, m)),
      unlink: (p) => fs.unlink(p),
      rename: (a, b) => fs.rename(a, b),
    };
    await writeFileAtomic(join(dir, 'x.id-en.md'), 'data', { fs: spy });
    const name = seen[0]!.slice(dir.length + 1);
    expect(name.startsWith('.x.id-en.md.')).toBe(true);
    expect(isAtomicTempName(name)).toBe(true);
    expect(isAtomicTempName('x.id-en.md')).toBe(false);
  });
});
