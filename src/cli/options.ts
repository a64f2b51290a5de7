/**
 * Command-line options: one table per command (name, short flag, value, default, meaning) that
 * both parses the arguments and prints the command's --help, so the two never disagree.
 *
 * Own parser rather than node:util parseArgs: parseArgs refuses a value starting with "-"
 * (`--batch-size -3` → "argument is ambiguous", so the real problem, a negative number, is never
 * named), and its unknown-option message cannot suggest the flag the user meant.
 */
import { UsageError } from '../errors.js';
import { terminalSafe } from '../safe-text.js';
import { nearest } from '../suggest.js';

export interface OptionSpec {
  /** Long name without dashes: "batch-size". */
  readonly name: string;
  /** One-letter short flag without the dash: "o". */
  readonly short?: string;
  readonly kind: 'string' | 'boolean';
  /** May be given more than once; values are collected in order. */
  readonly multiple?: boolean;
  /** Placeholder for the value in the help: "DIR", "N". */
  readonly value?: string;
  /** The default as shown in the help ("q8", "one per core"). */
  readonly default?: string;
  readonly help: string;
  /** Accepted but not listed (machine-facing options). */
  readonly hidden?: boolean;
}

export type OptionValue = string | boolean | string[];

export interface ParsedArgs {
  /** By long name; absent when not given. */
  readonly values: Readonly<Record<string, OptionValue | undefined>>;
  readonly positionals: readonly string[];
}

const HELP_FLAGS = new Set(['--help', '-h']);

/** Whether the user asked for help anywhere before a `--`. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (HELP_FLAGS.has(a)) return true;
  }
  return false;
}

export function parseOptions(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  const values: Record<string, OptionValue | undefined> = {};
  const positionals: string[] = [];
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const set = (spec: OptionSpec, value: string | boolean): void => {
    if (spec.multiple) {
      const list = (values[spec.name] as string[] | undefined) ?? [];
      values[spec.name] = [...list, String(value)];
    } else {
      values[spec.name] = value;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let spec: OptionSpec | undefined;
    let typed: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      typed = `--${name}`;
      if (eq >= 0) inline = arg.slice(eq + 1);
      spec = byLong.get(name);
    } else {
      typed = arg.slice(0, 2);
      spec = byShort.get(arg[1]!);
      if (arg.length > 2) inline = arg.slice(2).replace(/^=/, '');
    }
    if (spec === undefined) throw unknownOption(typed, specs, command);
    if (spec.kind === 'boolean') {
      if (inline !== undefined) throw new UsageError(`${command}: ${typed} takes no value, got "${terminalSafe(inline)}"`);
      set(spec, true);
      continue;
    }
    // A string option takes the next argument whatever it looks like ("-3" is a value to check, not a flag).
    const value = inline ?? argv[++i];
    if (value === undefined) {
      throw new UsageError(`${command}: ${typed} needs a value${spec.value ? ` (${typed} ${spec.value})` : ''}; see dwibahasa ${command} --help`);
    }
    set(spec, value);
  }
  return { values, positionals };
}

function unknownOption(typed: string, specs: readonly OptionSpec[], command: string): UsageError {
  const visible = specs.filter((s) => !s.hidden).map((s) => `--${s.name}`);
  const guess = typed.startsWith('--') ? nearest(typed, visible) : undefined;
  const hint = guess ? ` Did you mean ${guess}?` : '';
  return new UsageError(`${command}: unknown option "${terminalSafe(typed)}".${hint} See: dwibahasa ${command} --help`);
}

/** The options block of a command's help: "  -o, --out DIR   output folder (default: …)". */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const rows = [...specs.filter((s) => !s.hidden), { name: 'help', short: 'h', kind: 'boolean', help: 'show this help' } as const].map((s) => {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.kind === 'string' && s.value ? ` ${s.value}` : ''}`;
    const def = s.default !== undefined ? ` (default: ${s.default})` : '';
    return [flag, `${s.help}${def}`] as const;
  });
  const width = Math.min(28, Math.max(...rows.map(([f]) => f.length)));
  return rows.map(([f, h]) => (f.length > width ? `  ${f}\n  ${' '.repeat(width)}  ${h}` : `  ${f.padEnd(width)}  ${h}`)).join('\n');
}
