/**
 * Usage problems found before anything is written: an input that does not exist, an output
 * folder that is a file. (A run that went ahead would create OUT/.dwibahasa/ and then report
 * "some files failed", exit 1, for what is a mistake on the command line, exit 2.)
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError, errorCode } from '../errors.js';
import { terminalSafe } from '../safe-text.js';

export function checkInputs(inputs: readonly string[]): void {
  if (inputs.length === 0) throw new UsageError('give at least one file or folder to translate');
  const missing = inputs.filter((p) => {
    try {
      statSync(p);
      return false;
    } catch (err) {
      // Unreadable inputs (EACCES…) are reported per file by the run; only absence is a usage error.
      return errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR';
    }
  });
  if (missing.length > 0) {
    const list = missing.map((p) => `"${terminalSafe(p)}"`).join(', ');
    throw new UsageError(`${missing.length === 1 ? 'input' : 'inputs'} ${list} ${missing.length === 1 ? 'does' : 'do'} not exist (nothing was written); check the path`);
  }
}

/** The output folder may be missing (it is created) but neither it nor a folder above it may be a file. */
export function checkOutDir(out: string): void {
  const abs = path.resolve(out);
  for (let p = abs; ; p = path.dirname(p)) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      if (errorCode(err) === 'ENOENT' && path.dirname(p) !== p) continue;
      return; // unreadable: creating the folder reports it
    }
    if (isDir) return;
    const what = p === abs ? `${terminalSafe(abs)} is a file` : `${terminalSafe(p)} (above it) is a file`;
    throw new UsageError(`the output folder (--out) must be a folder, but ${what} (nothing was written); give a folder path`);
  }
}
