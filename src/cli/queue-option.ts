/** The CLI's part of many machines: the --local-workers flag, and leaving no process behind. */
import { UsageError } from '../errors.js';

export function localWorkersFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 64) throw new UsageError(`translate: --local-workers wants a whole number from 0 to 64, got "${value}"`);
  return Number(value);
}

/**
 * Once a queue command has finished, nothing may keep the process alive: BullMQ's connections to
 * a Redis that went away keep retrying until closed, and a polite close waits for Redis. The
 * timer does not itself hold the process; it only ends one that something else holds.
 */
export function exitWhenIdle(): void {
  setTimeout(() => process.exit(typeof process.exitCode === 'number' ? process.exitCode : 2), 3_000).unref();
}
