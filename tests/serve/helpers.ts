/** An output folder made by the real pipeline (fake engine), and ways to look at it before and after a save. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { defaultConfig } from '../../src/config/load.js';
import { openRunManifest } from '../../src/pipeline/manifest-adapter.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { OUTPUT_FORMATS } from '../../src/types.js';
import type { TranslationEngine } from '../../src/translate/engine.js';
import { FakeEngine } from '../helpers/fake-engine.js';

/** Two articles sharing one sentence ("Berita ini dibagikan ke semua kantor."), one Markdown with a list. */
export const ARTICLES: Record<string, string> = {
  'berita/satu.txt': 'Judul berita satu\n\nKucing itu tidur di atas meja. Berita ini dibagikan ke semua kantor.\n\nHujan turun sepanjang hari di kota.\n',
  'berita/dua.txt': 'Judul berita dua\n\nBerita ini dibagikan ke semua kantor. Pasar buka lebih awal hari ini.\n',
  'panduan.md': '# Panduan singkat\n\nPasang paket dengan `apt install`. Lalu mulai ulang.\n\n- Buka terminal sekarang.\n- Ketik perintah itu.\n',
};

/** Looping English for one sentence, so the guards flag it (repetition). */
export function fakeEnglish(text: string): string {
  if (text.startsWith('Hujan')) return 'rain rain rain rain rain rain rain rain rain';
  // Letters of each word reversed: plain characters in every format, and not the Indonesian copied.
  return text.replace(/\p{L}+/gu, (w) => [...w].reverse().join(''));
}

export async function makeOutput(): Promise<{ input: string; out: string; memoryFile: string }> {
  return makeOutputFrom(ARTICLES, new FakeEngine({ translate: fakeEnglish }));
}

/** A run of `engine` over `files` (name → content) with the run manifest recorded, as `dwibahasa translate` does. */
export async function makeOutputFrom(
  files: Record<string, string | Buffer>,
  engine: TranslationEngine,
  opts: { guards?: boolean } = {},
): Promise<{ input: string; out: string; memoryFile: string }> {
  const input = mkdtempSync(join(tmpdir(), 'dwb-serve-in-'));
  const out = mkdtempSync(join(tmpdir(), 'dwb-serve-out-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(input, name, '..'), { recursive: true });
    writeFileSync(join(input, name), text);
  }
  const config = defaultConfig();
  config.guards.enabled = opts.guards ?? true;
  const { createGuard } = await import('../../src/guards/guard.js');
  const manifest = await openRunManifest(out, { modelKey: 'fake', info: engine.info, config, force: false });
  await runPipeline({
    inputs: [input], outDir: out, config, engine, formats: OUTPUT_FORMATS,
    events: { onFileDone: (o) => manifest.record(o) },
    ...(config.guards.enabled ? { guard: createGuard(config, engine) } : {}),
  });
  await manifest.finish();
  return { input, out, memoryFile: join(out, '.dwibahasa', 'memory.sqlite') };
}

/** Every file under `dir` (the state folder's lock and memory excluded), path → bytes as text. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/memory\.sqlite|\/lock$/.test(p)) files.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw HTTP request: lets a test send any Host header and any body. */
export function http(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
