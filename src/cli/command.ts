/**
 * What a command is to the CLI: a name, a one-line summary, its usage and option table, and the
 * function that runs it. `commands.ts` lists them; `main.ts` dispatches and prints their help.
 */
import { formatOptions, type OptionSpec, type ParsedArgs } from './options.js';

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** What follows `dwibahasa NAME` on the usage line: "<file-or-folder>... --out DIR [options]". */
  readonly usage: string;
  readonly options: readonly OptionSpec[];
  /** Paragraphs printed after the options in --help. */
  readonly notes?: string;
  /** Resolves with the exit code; throws a DwibahasaError for usage, config and model errors. */
  readonly run: (args: ParsedArgs) => Promise<number>;
}

/** A command with subcommands of its own (`dwibahasa model fetch|info`). */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly Command[];
}

export type CommandEntry = Command | CommandGroup;

export function isGroup(c: CommandEntry): c is CommandGroup {
  return 'subcommands' in c;
}

export const EXIT_CODES =
  'Exit codes: 0 every file translated (or nothing to do), 1 some files failed (the others are written),\n' +
  '            2 usage, config or model error (nothing written), 130 stopped by Ctrl-C (a rerun resumes).';

/** `dwibahasa NAME --help`. `path` is the full command name ("model fetch"). */
export function commandHelp(path: string, c: Command): string {
  const parts = [`dwibahasa ${path} — ${c.summary}`, '', `Usage: dwibahasa ${path} ${c.usage}`.trimEnd(), '', 'Options:', formatOptions(c.options)];
  if (c.notes) parts.push('', c.notes);
  return parts.join('\n');
}

export function groupHelp(g: CommandGroup): string {
  const width = Math.max(...g.subcommands.map((s) => s.name.length));
  return [
    `dwibahasa ${g.name} — ${g.summary}`,
    '',
    `Usage: dwibahasa ${g.name} <${g.subcommands.map((s) => s.name).join('|')}> [options]`,
    '',
    'Commands:',
    ...g.subcommands.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    '',
    `Run "dwibahasa ${g.name} <command> --help" for its options.`,
  ].join('\n');
}

export function mainHelp(commands: readonly CommandEntry[]): string {
  const rows = commands.flatMap((c) =>
    isGroup(c) ? c.subcommands.map((s) => [`${c.name} ${s.name} ${s.usage}`, s.summary] as const) : [[`${c.name} ${c.usage}`, c.summary] as const],
  );
  return [
    'dwibahasa — translate folders of Indonesian articles into side-by-side English, offline',
    '',
    'Usage:',
    ...rows.flatMap(([usage, summary]) => [`  dwibahasa ${usage}`, `      ${summary}`]),
    '',
    'Run "dwibahasa <command> --help" (or -h) for the options of a command and their defaults.',
    'Also: dwibahasa --version (-v), dwibahasa help [command].',
    '',
    EXIT_CODES,
  ].join('\n');
}
