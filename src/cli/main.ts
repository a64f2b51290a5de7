/**
 * The command line: find the command (commands.ts), answer --help from its option table, parse
 * its arguments, run it, and turn typed errors into one clear message and an exit code
 * (0 all done, 1 some files failed, 2 usage, config or model error, 130 stopped by Ctrl-C).
 */
import { readFileSync } from 'node:fs';
import { DwibahasaError, UsageError } from '../errors.js';
import { safeLines, terminalSafe } from '../safe-text.js';
import { nearest } from '../suggest.js';
import { commandHelp, groupHelp, isGroup, mainHelp, type Command, type CommandEntry } from './command.js';
import { COMMANDS } from './commands.js';
import { parseOptions, wantsHelp } from './options.js';

export async function main(argv: readonly string[], commands: readonly CommandEntry[] = COMMANDS): Promise<number> {
  try {
    return await dispatch(argv, commands);
  } catch (err) {
    if (err instanceof DwibahasaError) {
      process.stderr.write(`dwibahasa: ${safeLines(err.message)}\n`);
      return err.exitCode;
    }
    process.stderr.write(`dwibahasa: unexpected error: ${safeLines(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    return 2;
  }
}

async function dispatch(argv: readonly string[], commands: readonly CommandEntry[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // Without a command there is nothing to do: the help is the error message.
    process.stderr.write(mainHelp(commands) + '\n');
    return 2;
  }
  if (name === '--help' || name === '-h') return out(mainHelp(commands));
  if (name === '--version' || name === '-v') return out(version());
  if (name === 'help') {
    if (rest.length === 0) return out(mainHelp(commands));
    return dispatch([...rest, '--help'], commands);
  }
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) throw unknown('command', name, commands.map((c) => c.name), 'dwibahasa --help');
  if (!isGroup(entry)) return runCommand(entry.name, entry, rest);
  const [subName, ...subRest] = rest;
  if (subName === undefined || subName === '--help' || subName === '-h') {
    if (subName === undefined) {
      process.stderr.write(groupHelp(entry) + '\n');
      return 2;
    }
    return out(groupHelp(entry));
  }
  const sub = entry.subcommands.find((s) => s.name === subName);
  if (sub === undefined) throw unknown(`${entry.name} command`, subName, entry.subcommands.map((s) => s.name), `dwibahasa ${entry.name} --help`);
  return runCommand(`${entry.name} ${sub.name}`, sub, subRest);
}

async function runCommand(path: string, c: Command, argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) return out(commandHelp(path, c));
  return c.run(parseOptions(argv, c.options, path));
}

function unknown(what: string, typed: string, known: readonly string[], help: string): UsageError {
  const guess = nearest(typed, known);
  return new UsageError(
    `unknown ${what} "${terminalSafe(typed)}"; ${guess ? `did you mean "${guess}"? ` : ''}known: ${known.join(', ')} (see ${help})`,
  );
}

function out(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
