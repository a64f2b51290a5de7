import { DwibahasaError } from '../../errors.js';

/**
 * The queue cannot be used: a wrong Redis address, or Redis unreachable past queue.reconnect_limit.
 * Stops the run (exit code 2); everything already finished is kept, and a rerun resumes.
 */
export class QueueError extends DwibahasaError {
  readonly exitCode = 2;
}
