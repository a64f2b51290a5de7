/**
 * Where a file's outputs go: the input's path under its folder argument, mirrored under OUT,
 * without the extension. Never outside OUT; two inputs never share outputs.
 */
import path from 'node:path';
import type { SourceFile } from '../types.js';

/** OUT/a/b/x for a/b/x.txt under a folder argument; OUT/x for a file argument. */
export function outputBaseFor(file: SourceFile, outDir: string): string {
  const isFileArg = path.resolve(file.root) === path.resolve(file.absPath);
  const rel = isFileArg ? path.basename(file.absPath) : file.relPath;
  const parsed = path.posix.parse(rel.split(path.sep).join('/'));
  const base = path.resolve(outDir, parsed.dir, parsed.name);
  const relToOut = path.relative(path.resolve(outDir), base);
  if (relToOut.startsWith('..') || path.isAbsolute(relToOut)) {
    throw new Error(`refusing to write outside the output folder for ${file.absPath}`);
  }
  return base;
}

/**
 * Keeps two inputs from writing the same outputs (x.txt and x.md in one folder; two file arguments
 * with one name): the later one keeps its extension in its output names (x.md.id-en.json).
 */
export class OutputNames {
  private readonly claimed = new Map<string, string>();
  claim(base: string, file: SourceFile): string {
    let candidate = base;
    if (this.claimed.has(candidate) && this.claimed.get(candidate) !== file.absPath) {
      candidate = base + path.extname(file.absPath);
      let n = 2;
      while (this.claimed.has(candidate) && this.claimed.get(candidate) !== file.absPath) candidate = `${base}-${n++}`;
    }
    this.claimed.set(candidate, file.absPath);
    return candidate;
  }
}
