/** `dwibahasa serve OUT`: the review page over an output folder, until Ctrl+C. */
import { statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { safeLines } from '../safe-text.js';
import { startReviewServer } from '../serve/server.js';
import { memoryPath } from '../memory/memory-path.js';
import type { Command } from './command.js';
import type { ParsedArgs } from './options.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const serveCommand: Command = {
  name: 'serve',
  summary: 'review and correct the English of an output folder in the browser (local page, token)',
  usage: 'OUT [options]',
  options: [
    { name: 'port', short: 'p', kind: 'string', value: 'N', default: 'a free port', help: 'port to listen on' },
    { name: 'host', kind: 'string', value: 'ADDR', default: '127.0.0.1', help: 'address to listen on (an IP address or localhost)' },
    { name: 'config', short: 'c', kind: 'string', value: 'FILE', default: './config.yaml when present', help: 'configuration file (for memory.path)' },
  ],
  notes:
    'OUT is the --out folder of a translate run. Corrections are kept in the translation memory and win over the model\n' +
    'in every later run, --force included, until "dwibahasa memory clear-human OUT" removes them. Ctrl+C stops the server.',
  run: serve,
};

async function serve(args: ParsedArgs): Promise<number> {
  const values = args.values as { port?: string; host?: string; config?: string };
  const positionals = args.positionals;
  if (positionals.length !== 1) throw new UsageError('serve: give one output folder (the --out folder of a translate run)');
  const outDir = path.resolve(positionals[0]!);
  if (!statSync(outDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`serve: ${outDir} is not a folder; give the --out folder of a translate run`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`serve: --port must be a whole number from 0 to 65535, got "${values.port}"`);
  const host = values.host ?? '127.0.0.1';
  if (host !== 'localhost' && net.isIP(host) === 0) throw new UsageError(`serve: --host must be an IP address (or localhost), got "${host}"`);
  const { config, baseDir } = loadConfig(values.config);
  const server = await startReviewServer({ outDir, host, port, memoryFile: memoryPath(config, outDir, baseDir) });
  if (!LOOPBACK.has(host)) {
    process.stderr.write(safeLines(`warning: listening on ${host}: anyone who can reach this machine and has the address below can edit ${outDir}\n`));
  }
  if (server.files === 0) {
    process.stderr.write(safeLines(`warning: ${outDir} has no translated files yet (no run manifest, no .id-en.json); the page lists them once a translate run writes some\n`));
  }
  process.stdout.write(safeLines(`Reviewing ${outDir}\nOpen ${server.url}\nPress Ctrl+C to stop.\n`));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
