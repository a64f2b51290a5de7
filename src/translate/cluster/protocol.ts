/**
 * What coordinator and workers agree on: queue and key names, the job's data and result.
 *
 * One BullMQ queue per model key (model id, files hash, dtype, decoding settings): a worker only
 * listens on its own model's queue, so a worker with another model never takes (and never holds
 * up) a batch it cannot translate. The key also travels in every job and is checked again.
 */
import { createHash } from 'node:crypto';
import type { TranslateOptions } from '../engine.js';
import { countWords } from '../../pipeline/run.js';
import type { ModelInfo } from '../../types.js';

/** BullMQ key prefix; the memory and the registry live under it too. */
export const PREFIX = 'dwibahasa';
/** BullMQ job name of a batch. */
export const JOB_NAME = 'translate';

export function queueNameFor(modelKey: string): string {
  return `translate-${createHash('sha256').update(modelKey).digest('hex').slice(0, 16)}`;
}

/**
 * The memory key of translations made with `options` (guard retries): the same key the local
 * SQLite memory uses for them, so both memories agree on what a stored translation means.
 */
export function memoryKeyWith(modelKey: string, options: TranslateOptions): string {
  return Object.keys(options).length === 0 ? modelKey : `${modelKey}|retry:${JSON.stringify(options)}`;
}

export interface BatchJobData {
  readonly modelKey: string;
  readonly options: TranslateOptions;
  readonly segments: readonly string[];
  /** The coordinator that sent it (run id), for the worker's log. */
  readonly run: string;
  /** False with --no-memory: translate afresh and store nothing. */
  readonly memory?: boolean;
}

export interface WorkerIdentity {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  /** Started inside the coordinator with --local-workers. */
  readonly local: boolean;
}

export interface BatchJobResult {
  /** English of every segment, in order; taken from the shared memory, so a batch done twice gives one answer. */
  readonly targets: string[];
  /** Tokens generated per segment (0 for those already in the memory). */
  readonly generatedTokens: number[];
  readonly worker: WorkerIdentity;
  /** Worker clock, ms since the epoch: for the worker's words/s only. */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly words: number;
  /** Segments found in the shared memory instead of translated. */
  readonly fromMemory: number;
}

/** What a worker announces in the registry. */
export interface WorkerAnnouncement extends WorkerIdentity {
  readonly modelKey: string;
  readonly model: ModelInfo;
  readonly concurrency: number;
}

/** What a coordinator announces. */
export interface RunAnnouncement {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly modelKey: string;
  readonly model: ModelInfo;
}

/** Job id of a batch: the same batch sent again (a rerun, a lost Redis) is the same job. */
export function batchJobId(modelKey: string, options: TranslateOptions, segments: readonly string[]): string {
  const h = createHash('sha256').update(memoryKeyWith(modelKey, options)).update('\0');
  for (const s of segments) h.update(`${Buffer.byteLength(s)}:`).update(s);
  return `b${h.digest('hex').slice(0, 32)}`;
}

/** A short human description of a model and its settings, for logs. */
export function describeModel(info: ModelInfo): string {
  return `${info.id} (${info.dtype}, files ${info.hash.slice(0, 12)}, beams ${String(info.decoding['beams'] ?? '?')})`;
}

/** What differs between two models' keys, in words: "model files abc… vs def…", "decoding beams 4 vs 1". */
export function describeDifference(mine: ModelInfo, theirs: ModelInfo): string {
  const out: string[] = [];
  if (mine.id !== theirs.id) out.push(`model ${theirs.id} vs ${mine.id}`);
  if (mine.hash !== theirs.hash) out.push(`model files ${theirs.hash.slice(0, 12)} vs ${mine.hash.slice(0, 12)}`);
  if (mine.dtype !== theirs.dtype) out.push(`dtype ${theirs.dtype} vs ${mine.dtype}`);
  for (const k of new Set([...Object.keys(mine.decoding), ...Object.keys(theirs.decoding)])) {
    if (mine.decoding[k] !== theirs.decoding[k]) out.push(`decoding ${k} ${String(theirs.decoding[k])} vs ${String(mine.decoding[k])}`);
  }
  return out.length > 0 ? out.join(', ') : 'same model';
}

export function wordsOf(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + countWords(t), 0);
}
