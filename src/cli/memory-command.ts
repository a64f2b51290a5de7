/** `dwibahasa memory clear-human OUT`: forget the translations people made, on purpose only. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { TranslationMemory } from '../memory/memory.js';
import { parse } from './args.js';
import { memoryPath } from '../memory/memory-path.js';

const OPTIONS = {
  yes: { type: 'boolean', short: 'y' },
  config: { type: 'string', short: 'c' },
} as const;

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function memoryCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'clear-human') throw new UsageError(`memory: unknown subcommand "${sub ?? ''}"; use dwibahasa memory clear-human OUT [--yes]`);
  const { values, positionals } = parse(rest, OPTIONS, 'memory clear-human');
  if (positionals.length !== 1) throw new UsageError('memory clear-human: give the output folder whose memory to clear');
  const outDir = path.resolve(positionals[0]!);
  const { config, baseDir } = loadConfig(values.config);
  const file = memoryPath(config, outDir, baseDir);
  if (!existsSync(file)) throw new UsageError(`memory clear-human: no translation memory at ${file}`);
  const memory = TranslationMemory.open(file);
  try {
    const n = memory.humanCount();
    if (n === 0) {
      process.stderr.write(`${file} has no human translations.\n`);
      return 0;
    }
    if (!values.yes) {
      if (!process.stdin.isTTY) throw new UsageError(`memory clear-human: this removes ${n} human translations from ${file}; add --yes to confirm`);
      if (!(await confirm(`Remove ${n} human translation${n === 1 ? '' : 's'} from ${file}? [y/N] `))) {
        process.stderr.write('Nothing removed.\n');
        return 0;
      }
    }
    const removed = memory.clearHuman();
    process.stderr.write(
      `Removed ${removed} human translation${removed === 1 ? '' : 's'} from ${file}. ` +
        'The output files keep their text until the next run with --force translates those sentences again.\n',
    );
    return 0;
  } finally {
    memory.close();
  }
}
