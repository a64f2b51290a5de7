/** `dwibahasa memory clear-human OUT`: forget the translations people made, on purpose only. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { safeLines } from '../safe-text.js';
import { TranslationMemory } from '../memory/memory.js';
import { memoryPath } from '../memory/memory-path.js';
import type { Command, CommandGroup } from './command.js';
import type { ParsedArgs } from './options.js';

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

const clearHuman: Command = {
  name: 'clear-human',
  summary: "forget the corrections people made (dwibahasa serve) in an output folder's memory",
  usage: 'OUT [options]',
  options: [
    { name: 'yes', short: 'y', kind: 'boolean', help: 'do not ask for confirmation' },
    { name: 'config', short: 'c', kind: 'string', value: 'FILE', default: './config.yaml when present', help: 'configuration file (for memory.path)' },
  ],
  run: clearHumanRun,
};

export const memoryCommand: CommandGroup = {
  name: 'memory',
  summary: 'look after the translation memory of an output folder',
  subcommands: [clearHuman],
};

async function clearHumanRun(args: ParsedArgs): Promise<number> {
  const values = args.values as { yes?: boolean; config?: string };
  const positionals = args.positionals;
  if (positionals.length !== 1) throw new UsageError('memory clear-human: give the output folder whose memory to clear');
  const outDir = path.resolve(positionals[0]!);
  const { config, baseDir } = loadConfig(values.config);
  const file = memoryPath(config, outDir, baseDir);
  if (!existsSync(file)) throw new UsageError(`memory clear-human: no translation memory at ${file}`);
  const memory = TranslationMemory.open(file);
  try {
    const n = memory.humanCount();
    if (n === 0) {
      process.stderr.write(safeLines(`${file} has no human translations.\n`));
      return 0;
    }
    if (!values.yes) {
      if (!process.stdin.isTTY) throw new UsageError(`memory clear-human: this removes ${n} human translations from ${file}; add --yes to confirm`);
      if (!(await confirm(`Remove ${n} human translation${n === 1 ? '' : 's'} from ${file}? [y/N] `))) {
        process.stderr.write(safeLines('Nothing removed.\n'));
        return 0;
      }
    }
    const removed = memory.clearHuman();
    process.stderr.write(safeLines(
      `Removed ${removed} human translation${removed === 1 ? '' : 's'} from ${file}. ` +
        'The output files keep their text until the next run with --force translates those sentences again.\n',
    ));
    return 0;
  } finally {
    memory.close();
  }
}
