/**
 * Typed errors. Each carries the context a user needs to act on it (file, key, what to do);
 * the CLI prints `message` alone, never a stack trace, for these.
 */

export abstract class DwibahasaError extends Error {
  /** Process exit code when this error stops the whole run. */
  abstract readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Wrong command-line usage. */
export class UsageError extends DwibahasaError {
  readonly exitCode = 2;
}

/** A wrong key or value in config.yaml or on the command line. */
export class ConfigError extends DwibahasaError {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly file: string | undefined,
    readonly key: string | undefined,
  ) {
    super(message);
  }
}

/** The model is missing, incomplete, corrupt or not a Marian model. */
export class ModelError extends DwibahasaError {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly folder: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A download from the model hub failed. */
export class FetchError extends DwibahasaError {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One input file cannot be read or parsed; the run goes on with the others. */
export class InputFileError extends DwibahasaError {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An input longer than the model can take reached the engine: the caller must split it first. */
export class InputTooLongError extends DwibahasaError {
  readonly exitCode = 1;
  constructor(
    readonly tokens: number,
    readonly maxTokens: number,
  ) {
    super(`input of ${tokens} tokens exceeds the model's limit of ${maxTokens}; split it before translating`);
  }
}

/** An output file or the output folder cannot be written. */
export class OutputError extends DwibahasaError {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Another run holds the output folder, or the translation memory is unusable. */
export class RunStateError extends DwibahasaError {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The `code` of a Node.js system error (ENOENT, EEXIST…) or a SQLite error (SQLITE_BUSY…); undefined when there is none. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** A short, single-line description of any thrown value, for summaries. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * The translation memory (or another store of translations) failed to read or write: disk full,
 * I/O error, a corrupt file. Never a silent fallback: the file being translated fails, and when the
 * memory is `unusable` (corrupt) the whole run stops.
 */
export class StorageError extends RunStateError {
  constructor(
    message: string,
    path: string,
    readonly unusable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, path, options);
  }
}

/** The StorageError behind `err` (itself or one of its causes), if any. */
export function storageErrorOf(err: unknown): StorageError | undefined {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (e instanceof StorageError) return e;
    e = typeof e === 'object' && 'cause' in e ? (e as { cause?: unknown }).cause : undefined;
  }
  return undefined;
}
