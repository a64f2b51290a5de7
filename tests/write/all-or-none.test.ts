/** Issue 9, point 9: a file's outputs are all written or none; a read-only disk is reported as such. */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { OutputError } from '../../src/errors.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { explainMkdirError, writeFilesAtomic } from '../../src/write/atomic.js';
import { FakeEngine } from '../helpers/fake-engine.js';

const temp = (p: string): string => mkdtempSync(join(tmpdir(), p));
const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: failed`), { code });

describe('writeFilesAtomic', () => {
  it('leaves no new file when one name is too long, and restores the files it had replaced', async () => {
    const dir = temp('dwb-aon-');
    writeFileSync(join(dir, 'a.txt'), 'old a');
    const files = [
      { path: join(dir, 'a.txt'), data: 'new a' },
      { path: join(dir, 'b.txt'), data: 'new b' },
      { path: join(dir, 'x'.repeat(300) + '.txt'), data: 'too long' },
    ];
    const err = await writeFilesAtomic(files).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).message).toMatch(/ENAMETOOLONG/);
    expect(readdirSync(dir)).toEqual(['a.txt']);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old a');
  });

  it('writes every file when all succeed', async () => {
    const dir = temp('dwb-aon-');
    writeFileSync(join(dir, 'a.txt'), 'old a');
    await writeFilesAtomic([{ path: join(dir, 'a.txt'), data: 'new a' }, { path: join(dir, 'sub', 'b.txt'), data: 'new b' }]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('new a');
    expect(readFileSync(join(dir, 'sub', 'b.txt'), 'utf8')).toBe('new b');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'sub']);
  });
});

describe('a file whose output names are too long', () => {
  it('is reported failed and leaves none of its outputs (some names would have fit)', async () => {
    const input = temp('dwb-aon-in-');
    const out = temp('dwb-aon-out-');
    // 246 characters: .en.txt and .id-en.md fit in 255 bytes, .id-en.html/.json/.tmx do not.
    const name = 'a'.repeat(246) + '.txt';
    writeFileSync(join(input, name), 'Ini kalimat yang baik.\n');
    const config = defaultConfig();
    config.guards.enabled = false;
    const summary = await runPipeline({ inputs: [input], outDir: out, config, engine: new FakeEngine(), formats: ['md', 'html', 'json', 'txt', 'tmx'] });
    expect(summary.files[0]!.status).toBe('failed');
    expect(summary.files[0]!.failures[0]).toMatch(/too long/);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('a read-only file system', () => {
  it('is named as such where node reports ENOENT for a folder it cannot create', () => {
    const parent = temp('dwb-ro-');
    const folder = join(parent, 'new', 'out');
    const readOnly = (): void => {
      throw errno('EROFS');
    };
    expect((explainMkdirError(errno('ENOENT'), folder, readOnly) as NodeJS.ErrnoException).code).toBe('EROFS');
    const denied = (): void => {
      throw errno('EACCES');
    };
    expect((explainMkdirError(errno('ENOENT'), folder, denied) as NodeJS.ErrnoException).code).toBe('EACCES');
    // A writable ancestor: the ENOENT stands.
    expect((explainMkdirError(errno('ENOENT'), folder, () => {}) as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('writeFileAtomic says "read-only file system (EROFS)" on a real read-only mount', async (ctx) => {
    const { execFileSync } = await import('node:child_process');
    const mnt = temp('dwb-ro-mnt-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      // Mounting needs root (CAP_SYS_ADMIN); the injected test above covers the logic everywhere.
      ctx.skip();
    }
    try {
      const { writeFileAtomic } = await import('../../src/write/atomic.js');
      await expect(writeFileAtomic(join(mnt, 'out', 'x.en.txt'), 'x')).rejects.toThrow(/read-only file system \(EROFS\)/);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
