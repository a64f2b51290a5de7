/**
 * The command line: parse arguments, dispatch to a command, turn typed errors into one clear
 * message and an exit code (0 all done, 1 some files failed, 2 usage, config or model error).
 */
import { readFileSync } from 'node:fs';
import { DwibahasaError, UsageError } from '../errors.js';
import { memoryCommand } from './memory-command.js';
import { modelCommand } from './model-command.js';
import { serveCommand } from './serve-command.js';
import { translateCommand } from './translate-command.js';
import { workerCommand } from './worker-command.js';

const HELP = `dwibahasa — translate folders of Indonesian articles into side-by-side English, offline

Usage:
  dwibahasa translate <file-or-folder>... --out DIR [options]
  dwibahasa model fetch [MODEL_ID] [--dtype q8|fp32|both] [--config FILE]
  dwibahasa model info [--config FILE]
  dwibahasa serve OUT [--port N] [--host ADDR] [--config FILE]
  dwibahasa memory clear-human OUT [--yes] [--config FILE]
  dwibahasa worker --queue redis://HOST:PORT[/DB] [--model ID|FOLDER] [--concurrency N] [--config FILE]

Translate options:
  --out DIR             output folder (required)
  --config FILE         configuration file (default: ./config.yaml when present)
  --model ID|FOLDER     model id under models/, or a model folder
  --dtype q8|fp32       model weights (default q8)
  --formats LIST        any of md,html,json,txt,tmx (default all)
  --concurrency N       engine workers running model calls at once (default: one per core)
  --threads N           ONNX Runtime threads per worker (default 1)
  --batch-size N        most segments per model call
  --beams N             beam width (1 = greedy, fastest)
  --force               redo every file, even when its outputs are current
  --no-memory           do not use the translation memory
  --reset-memory        move an unusable translation memory aside and start a fresh one
  --set KEY=VALUE       set any config key, e.g. --set queue.batch_tokens=2048
  --queue URL           many machines: send batches to workers over Redis (redis://, rediss://;
                        REDIS_URL overrides queue.redis; see README "Many machines")
  --local-workers N     with --queue: N engine workers of this machine take batches too

Review: \`serve\` opens a local page (127.0.0.1, random port and token) to review and correct the English of
OUT; corrections are kept in the translation memory and win over the model in every later run, --force
included, until \`memory clear-human\` removes them.

Exit codes: 0 every file translated, 1 some files failed (the others are written), 2 usage, config or model error.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'translate':
        return await translateCommand(rest);
      case 'model':
        return await modelCommand(rest);
      case 'serve':
        return await serveCommand(rest);
      case 'memory':
        return await memoryCommand(rest);
      case 'worker':
        return await workerCommand(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(HELP + '\n');
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
        process.stdout.write(version() + '\n');
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"; run dwibahasa --help`);
    }
  } catch (err) {
    if (err instanceof DwibahasaError) {
      process.stderr.write(`dwibahasa: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`dwibahasa: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
