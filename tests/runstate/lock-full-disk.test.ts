/**
 * Issue 9, point 9: a disk that fills up while the lock is being written leaves no empty lock file
 * (which would block the next runs until it grew stale). The file system is wrapped so that the
 * lock file is created but writing its content fails with ENOSPC, as on a full disk.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const full = { on: false };
const enospc = (): NodeJS.ErrnoException => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

vi.mock('node:fs/promises', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs/promises')>();
  const isLock = (p: unknown): boolean => typeof p === 'string' && path.basename(p) === 'lock';
  const wrapped = {
    ...orig,
    // Both ways of creating a file: the name appears, the bytes do not fit.
    async writeFile(file: Parameters<typeof orig.writeFile>[0], data: Parameters<typeof orig.writeFile>[1], opts?: Parameters<typeof orig.writeFile>[2]) {
      if (full.on && isLock(file)) {
        await (await orig.open(file as string, 'wx')).close();
        throw enospc();
      }
      return orig.writeFile(file, data, opts);
    },
    async open(file: Parameters<typeof orig.open>[0], flags?: Parameters<typeof orig.open>[1], mode?: Parameters<typeof orig.open>[2]) {
      const fh = await orig.open(file, flags, mode);
      if (!(full.on && isLock(file))) return fh;
      return new Proxy(fh, {
        get(target, prop, receiver) {
          if (prop === 'writeFile' || prop === 'write') return async () => { throw enospc(); };
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    },
  };
  return { ...wrapped, default: wrapped };
});

const { acquireLock } = await import('../../src/runstate/lock.js');
const { RunStateError } = await import('../../src/errors.js');

describe('acquireLock on a full disk', () => {
  it('fails with a clear reason and leaves no lock file behind', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'dwb-lock-full-'));
    full.on = true;
    const err = await acquireLock(out, { handleSignals: false }).catch((e: unknown) => e);
    full.on = false;
    expect(err).toBeInstanceOf(RunStateError);
    expect((err as Error).message).toMatch(/disk full \(ENOSPC\)/);
    expect(existsSync(path.join(out, '.dwibahasa', 'lock'))).toBe(false);
    expect(readdirSync(path.join(out, '.dwibahasa'))).toEqual([]);
    // With space again, the next run gets the lock at once.
    const lock = await acquireLock(out, { handleSignals: false });
    await lock.release();
  });
});
