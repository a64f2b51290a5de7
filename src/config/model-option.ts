import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './schema.js';

/**
 * A model folder given as an option (./x, or any existing folder with a config.json) is relative
 * to where the user is, not to the config file.
 */
export function applyModelOption(config: Config, value: string | undefined): void {
  if (value !== undefined && (/^\.\.?[/\\]/.test(value) || existsSync(path.join(value, 'config.json')))) {
    config.model.id = path.resolve(value);
  }
}
