/**
 * `node dist/bench/ort-options.js [--sentences N] [--rounds R] [--beams B]`: ONNX Runtime session
 * options measured one at a time against the engine's own (ORT_SESSION_OPTIONS), each in a fresh
 * child process (so peak RSS is its own), rounds interleaved. One engine, one thread, on the bench
 * model (run `npm run bench -- --quick` once first: it prepares bench/.cache/). Prints one JSON line
 * per variant: medians of greedy and beam time over the same sentences, and peak RSS. The variant
 * `unfused` runs the engine's options on the decoder as published (no appended selection).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runChild } from './child.js';
import { extractSentences, readSampleTexts } from './corpus.js';
import { median, round } from './stats.js';

const VARIANTS: Record<string, Record<string, unknown>> = {
  engine: {},
  'arena off': { enableCpuMemArena: false },
  'mem pattern off': { enableMemPattern: false },
  'optimisation extended': { graphOptimizationLevel: 'extended' },
  'optimisation basic': { graphOptimizationLevel: 'basic' },
  'spinning off': { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } },
  'execution parallel': { executionMode: 'parallel' },
  // Not a session option: the same engine on the decoder as published (engine.fused_selection=false).
  unfused: {},
};

interface ChildResult {
  readonly greedy_ms: number;
  readonly beam_ms: number;
  /** CPU time (user + system) of the same phases: steadier than wall time on a shared machine. */
  readonly greedy_cpu_ms: number;
  readonly beam_cpu_ms: number;
  readonly load_ms: number;
  readonly peak_rss_mb: number;
}

async function child(variant: string, sentences: number, beams: number, repoRoot: string): Promise<void> {
  const { MarianEngine } = await import('../src/translate/marian-engine.js');
  const { DEFAULT_DECODING } = await import('../src/translate/model-config.js');
  const cache = path.join(repoRoot, 'bench', '.cache', 'models-root', '.cache');
  const folder = path.join(cache, variant === 'unfused' ? 'rowq8' : 'fused-q8');
  const dir = path.join(folder, readdirSync(folder).filter((n) => !n.startsWith('.'))[0]!);
  const texts = extractSentences(readSampleTexts(path.join(repoRoot, 'samples'))).slice(0, sentences);
  const base = { dir, id: 'bench', modelsRoot: path.join(repoRoot, 'bench', '.cache', 'models-root'), dtype: 'q8' as const, threads: 1, sessionOptions: VARIANTS[variant]!, checked: true };
  const t0 = performance.now();
  const greedy = await MarianEngine.load({ ...base, decoding: { ...DEFAULT_DECODING, beams: 1 } });
  const loadMs = performance.now() - t0;
  const time = async (engine: { translate(s: readonly string[]): Promise<unknown> }): Promise<[number, number]> => {
    const t = performance.now();
    const c = process.cpuUsage();
    for (let i = 0; i < texts.length; i += 16) await engine.translate(texts.slice(i, i + 16));
    const cpu = process.cpuUsage(c);
    return [performance.now() - t, (cpu.user + cpu.system) / 1000];
  };
  const [greedyMs, greedyCpu] = await time(greedy);
  await greedy.dispose();
  const beam = await MarianEngine.load({ ...base, decoding: { ...DEFAULT_DECODING, beams } });
  const [beamMs, beamCpu] = await time(beam);
  await beam.dispose();
  const r: ChildResult = { greedy_ms: greedyMs, beam_ms: beamMs, greedy_cpu_ms: greedyCpu, beam_cpu_ms: beamCpu, load_ms: loadMs, peak_rss_mb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(r) + '\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { child: { type: 'string' }, sentences: { type: 'string' }, rounds: { type: 'string' }, beams: { type: 'string' }, only: { type: 'string' } }, strict: true });
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const sentences = Number(values.sentences ?? 48);
  const beams = Number(values.beams ?? 4);
  if (values.child !== undefined) return child(values.child, sentences, beams, repoRoot);
  const rounds = Number(values.rounds ?? 3);
  const names = values.only ? ['engine', ...values.only.split(',')] : Object.keys(VARIANTS);
  const results = new Map<string, ChildResult[]>(names.map((n) => [n, []]));
  for (let i = 0; i < rounds; i++) {
    for (const name of names) {
      const r = await runChild([fileURLToPath(import.meta.url), '--child', name, '--sentences', String(sentences), '--beams', String(beams)], { cwd: repoRoot });
      if (r.code !== 0) throw new Error(`${name}: ${r.stderrTail}`);
      const line = r.stdout.trim().split('\n').pop()!;
      results.get(name)!.push(JSON.parse(line) as ChildResult);
      process.stderr.write(`ort-options: round ${i + 1} ${name}: ${line}\n`);
    }
  }
  const ref = results.get('engine')!;
  for (const [name, rs] of results) {
    const g = median(rs.map((r) => r.greedy_ms));
    const b = median(rs.map((r) => r.beam_ms));
    const gc = median(rs.map((r) => r.greedy_cpu_ms));
    const bc = median(rs.map((r) => r.beam_cpu_ms));
    process.stdout.write(
      JSON.stringify({
        variant: name,
        options: VARIANTS[name],
        greedy_ms: round(g, 0),
        beam_ms: round(b, 0),
        greedy_vs_engine: round(g / median(ref.map((r) => r.greedy_ms)), 3),
        beam_vs_engine: round(b / median(ref.map((r) => r.beam_ms)), 3),
        greedy_cpu_ms: round(gc, 0),
        beam_cpu_ms: round(bc, 0),
        greedy_cpu_vs_engine: round(gc / median(ref.map((r) => r.greedy_cpu_ms)), 3),
        beam_cpu_vs_engine: round(bc / median(ref.map((r) => r.beam_cpu_ms)), 3),
        load_ms: round(median(rs.map((r) => r.load_ms)), 0),
        peak_rss_mb: round(median(rs.map((r) => r.peak_rss_mb)), 0),
      }) + '\n',
    );
  }
}

const entry = process.argv[1];
if (entry !== undefined && path.resolve(entry) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`ort-options: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
