/**
 * The library entry point as a user gets it: `import { translate } from 'dwibahasa'`, resolved by
 * Node through package.json `exports` (a self-reference from the package folder) to the built
 * dist/ (built by `npm test` before vitest), and its types as TypeScript resolves them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli/cli-helpers.js';
import { translate } from '../src/index.js';
import { makeTinyModel } from './helpers/tiny-model.js';

let model: string;
beforeAll(async () => {
  model = await makeTinyModel();
});

/** Runs an ES module with Node from the package folder, so that 'dwibahasa' names this package. */
function runModule(source: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', source, '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const USER = `
import { translate } from 'dwibahasa';
const [input, out, model] = process.argv.slice(-3);
const events = [];
const result = await translate({
  inputs: [input],
  out,
  model,
  config: { output: { formats: ['md', 'json'] }, engine: { workers: 1 }, decoding: { beams: 1 } },
  onEvent: (e) => events.push(e.type === 'progress' ? { type: e.type, filesFinished: e.filesFinished } : { type: e.type, input: e.input ?? e.outcome?.input }),
});
console.log(JSON.stringify({ events, files: result.files.map((f) => ({ input: f.input, status: f.status, outputs: f.outputs })), aborted: result.aborted }));
`;

describe("import { translate } from 'dwibahasa'", () => {
  it('translates a folder with typed options and reports each file through events', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-lib-in-'));
    mkdirSync(join(input, 'sub'));
    writeFileSync(join(input, 'a.txt'), 'Judul\n\nPemerintah membangun jalan baru. Harga beras naik.\n');
    writeFileSync(join(input, 'sub', 'b.md'), '# Judul\n\nMenteri bertemu rakyat di kota.\n');
    const out = mkdtempSync(join(tmpdir(), 'dwb-lib-out-'));
    const r = await runModule(USER, [input, out, model]);
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as {
      events: Array<{ type: string; input?: string; filesFinished?: number }>;
      files: Array<{ input: string; status: string; outputs: string[] }>;
      aborted: boolean;
    };
    expect(got.aborted).toBe(false);
    expect(got.files.map((f) => [f.input, f.status]).sort()).toEqual([
      [join(input, 'a.txt'), 'done'],
      [join(input, 'sub', 'b.md'), 'done'],
    ]);
    // Only the formats asked for, under the output folder.
    expect(readdirSync(out).filter((n) => !n.startsWith('.')).sort()).toEqual(['a.id-en.json', 'a.id-en.md', 'sub']);
    expect(readdirSync(join(out, 'sub')).sort()).toEqual(['b.id-en.json', 'b.id-en.md']);
    expect(JSON.parse(readFileSync(join(out, 'a.id-en.json'), 'utf8'))).toBeTypeOf('object');
    // Each file: file-start before its file-done; progress counts reach both files.
    for (const f of got.files) {
      const start = got.events.findIndex((e) => e.type === 'file-start' && e.input === f.input);
      const done = got.events.findIndex((e) => e.type === 'file-done' && e.input === f.input);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(done).toBeGreaterThan(start);
    }
    expect(got.events.filter((e) => e.type === 'file-failed')).toEqual([]);
    expect(got.events.at(-1)).toEqual({ type: 'progress', filesFinished: 2 });
  }, 300_000);

  it('comes with types: a correct call compiles, a wrong one does not', () => {
    // Installed the way npm installs it: node_modules/dwibahasa pointing at the package.
    const dir = mkdtempSync(join(tmpdir(), 'dwb-lib-types-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'dwibahasa'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const check = (code: string): string[] => {
      const file = join(dir, 'use.ts');
      writeFileSync(file, code);
      const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: [] });
      return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    expect(
      check(`import { translate, type TranslateEvent, type TranslateResult } from 'dwibahasa';
const seen: TranslateEvent[] = [];
const r: Promise<TranslateResult> = translate({ inputs: ['in'], out: 'out', config: { decoding: { beams: 2 } }, onEvent: (e) => seen.push(e) });
void r.then((s) => s.files.map((f) => f.status));
`),
    ).toEqual([]);
    const wrong = check(`import { translate } from 'dwibahasa';\nvoid translate({ inputs: ['in'], out: 'out', config: { decoding: { beams: 'two' } } });\n`);
    expect(wrong.join('\n')).toMatch(/'string' is not assignable to type 'number'/);
  });
});

describe('translate() with a signal', () => {
  it('rejects when already aborted, and when aborted mid-run finishes the file in flight and starts no other', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-lib-abort-'));
    for (let i = 0; i < 6; i++) writeFileSync(join(input, `f${i}.txt`), `Judul ${i}\n\nPemerintah membangun jalan baru di kota ${i}.\n`);
    const out = mkdtempSync(join(tmpdir(), 'dwb-lib-abort-out-'));
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    await expect(translate({ inputs: [input], out, model, signal: aborted.signal })).rejects.toThrow('stop');

    const stop = new AbortController();
    const result = await translate({
      inputs: [input],
      out,
      model,
      config: { queue: { files_in_flight: 1 }, engine: { workers: 1 }, output: { formats: ['json'] } },
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'file-done') stop.abort();
      },
    });
    expect(result.aborted).toBe(true);
    expect(result.files.map((f) => f.status)).toEqual(['done']);
    expect(readdirSync(out).filter((n) => n.endsWith('.json'))).toHaveLength(1);
  }, 300_000);
});

describe('translate() progress events', () => {
  it('counts segments as batches return (before their file is done), and the files found in all', async () => {
    const input = mkdtempSync(join(tmpdir(), 'dwb-lib-progress-'));
    // One long file: many batches of 2 before the file is done.
    const sentences = Array.from({ length: 12 }, (_, i) => `Pemerintah membangun jalan baru nomor ${i} di kota besar.`);
    writeFileSync(join(input, 'panjang.txt'), `Judul\n\n${sentences.join('\n\n')}\n`);
    writeFileSync(join(input, 'pendek.txt'), 'Judul\n\nHarga beras naik.\n');
    const out = mkdtempSync(join(tmpdir(), 'dwb-lib-progress-out-'));
    const seen: Array<{ filesFound: number | undefined; filesFinished: number; segmentsFinished: number; segmentsQueued: number }> = [];
    const result = await translate({
      inputs: [input],
      out,
      model,
      config: { queue: { batch_size: 2, files_in_flight: 1 }, engine: { workers: 1 }, guards: { enabled: false }, output: { formats: ['json'] } },
      onEvent: (e) => {
        if (e.type === 'progress') seen.push({ filesFound: e.filesFound, filesFinished: e.filesFinished, segmentsFinished: e.segmentsFinished, segmentsQueued: e.segmentsQueued });
      },
    });
    const total = result.files.reduce((n, f) => n + f.segments, 0);
    expect(total).toBeGreaterThanOrEqual(13);
    // Segments moved while no file had finished yet: by batch, not by file.
    const before = seen.filter((p) => p.filesFinished === 0).map((p) => p.segmentsFinished);
    expect(new Set(before.filter((n) => n > 0)).size).toBeGreaterThan(2);
    expect(seen.at(-1)!.segmentsFinished).toBe(total);
    // The separate count of files ends with the total; it never grows past it.
    expect(seen.some((p) => p.filesFound === 2)).toBe(true);
    expect(seen.every((p) => p.filesFound === undefined || p.filesFound === 2)).toBe(true);
  }, 300_000);
});
