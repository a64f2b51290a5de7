/** Command-line flags → config overrides, checked by the same rules as the config file. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T, command: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message}; run dwibahasa --help`);
  }
}

/** "--set a.b=c" values into an overrides map. */
export function setOverrides(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects KEY=VALUE, got "${v}"`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/**
 * A model folder given on the command line (./x, or any existing folder with a config.json) is
 * relative to where the user is, not to the config file.
 */
export function applyModelFlag(config: Config, value: string | undefined): void {
  if (value !== undefined && (/^\.\.?[/\\]/.test(value) || existsSync(path.join(value, 'config.json')))) {
    config.model.id = path.resolve(value);
  }
}
