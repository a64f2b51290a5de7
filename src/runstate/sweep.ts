/**
 * Temp files left in an output folder by a run that was killed mid-write (kill -9, power cut):
 * names from write/atomic.ts, which carry the writer's pid. A run removes them at start, holding
 * the folder's lock, so no other run of this folder is writing; a temp whose pid is still alive (a
 * writer outside any run, such as a --stats-json file) is left alone.
 */
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { atomicTempPid } from '../write/atomic.js';
import { isPidAlive } from './lock.js';

export interface SweepResult {
  /** Paths removed. */
  readonly removed: readonly string[];
}

export async function sweepStaleTemps(outDir: string, alive: (pid: number) => boolean = isPidAlive): Promise<SweepResult> {
  const removed: string[] = [];
  const folders = [outDir];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(folder, e.name);
      // Links are never followed: what they lead to is not this run's folder.
      if (e.isDirectory()) folders.push(p);
      else if (e.isFile()) {
        const pid = atomicTempPid(e.name);
        if (pid === undefined || pid === process.pid || alive(pid)) continue;
        if (await unlink(p).then(() => true, () => false)) removed.push(p);
      }
    }
  }
  return { removed };
}
