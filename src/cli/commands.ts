/**
 * Every command of the CLI, in the order `dwibahasa --help` lists them. A new command is one line
 * here: a `Command` (name, summary, usage, options with defaults, run) from its own module.
 */
import type { CommandEntry } from './command.js';
import { memoryCommand } from './memory-command.js';
import { modelCommand } from './model-command.js';
import { serveCommand } from './serve-command.js';
import { translateCommand } from './translate-command.js';
import { workerCommand } from './worker-command.js';

export const COMMANDS: readonly CommandEntry[] = [translateCommand, modelCommand, serveCommand, memoryCommand, workerCommand];
