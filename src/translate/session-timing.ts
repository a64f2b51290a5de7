/**
 * Time spent inside ONNX Runtime, for the run summary and the benchmark (the share of wall time
 * that is model work rather than overhead). Apart from runtime.ts so that an engine worker, which
 * loads no transformers.js, can use it.
 */

/** A transformers.js model's ONNX sessions, as far as timing them needs. */
interface TimedModel {
  readonly sessions: Record<string, { run: (...args: unknown[]) => Promise<unknown> }>;
}

/**
 * Wrap every ONNX Runtime session of `model` so that the time spent inside its `run` calls is
 * reported to `onRun`: the share of wall time that is model work rather than overhead.
 */
export function timeSessionRuns(model: unknown, onRun: (ms: number) => void): void {
  for (const session of Object.values((model as TimedModel).sessions)) {
    const run = session.run.bind(session);
    session.run = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await run(...args);
      } finally {
        onRun(performance.now() - t);
      }
    };
  }
}
