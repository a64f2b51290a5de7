/**
 * Keeps a run's outputs apart from its inputs. An output folder that is an input folder, or holds
 * one, would mix the English files with the user's own (and could replace them), and each rerun
 * would translate the previous run's outputs again; such a run is refused before anything is written.
 * An output folder inside an input folder is fine: discovery leaves it out (see discover/walk.ts).
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { STATE_DIR } from '../runstate/lock.js';

/**
 * The real path of `p`, which need not exist: the nearest existing ancestor is resolved (links
 * followed) and the rest appended, so a folder about to be created compares like an existing one.
 */
export function realPathOf(p: string): string {
  let head = path.resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return path.resolve(p);
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

/** True when `inner` is `outer` or lies inside it (both real, absolute paths). */
export function isWithin(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  const prefix = outer.endsWith(path.sep) ? outer : outer + path.sep;
  return inner.startsWith(prefix);
}

/**
 * Throws UsageError (exit 2) when the output folder is an input folder or contains one, or when an
 * input lies in the output folder's state folder. Inputs that do not exist are left to discovery.
 */
export function checkOutFolder(inputs: readonly string[], outDir: string): void {
  const out = realPathOf(outDir);
  const state = path.join(out, STATE_DIR);
  for (const arg of inputs) {
    let isDir: boolean;
    let real: string;
    try {
      isDir = statSync(arg).isDirectory();
      real = realpathSync(arg);
    } catch {
      continue;
    }
    if (isWithin(real, state)) {
      throw new UsageError(`translate: ${arg} is inside ${state}, where dwibahasa keeps its run state; it is not an input`);
    }
    if (!isDir) continue;
    if (real === out) {
      throw new UsageError(
        `translate: --out ${outDir} is the input folder ${arg}: the English files would be written among your own ` +
          `files and could replace them. Choose an output folder outside it (for example ${path.basename(real)}-en next to it)`,
      );
    }
    if (isWithin(real, out)) {
      throw new UsageError(
        `translate: --out ${outDir} contains the input folder ${arg}: outputs would mix with your files and be ` +
          `translated again on the next run. Choose an output folder that does not contain the input`,
      );
    }
  }
}
