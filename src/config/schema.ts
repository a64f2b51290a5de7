/**
 * Every configuration key, its type, default and meaning. config.yaml documents the same keys;
 * a test checks that the two agree, so neither drifts.
 */
import type { Dtype, OutputFormat } from '../types.js';

export interface Config {
  model: {
    /** Model id under `model.dir` (e.g. Xenova/opus-mt-id-en) or a path to a model folder. */
    id: string;
    /** Folder holding models, one sub-folder per model id. Relative to the config file's folder. */
    dir: string;
    dtype: Dtype;
    /** auto: fetch a missing model when the hub is reachable; never: stop with instructions. */
    download: 'auto' | 'never';
    /** Hub address for `model fetch`; the HF_ENDPOINT environment variable is used when this is empty. */
    endpoint: string;
  };
  engine: {
    /** Engine workers, each with its own ONNX Runtime session; 0 = one per CPU core. */
    workers: number;
    /** ONNX Runtime intra-op threads per worker. */
    threads: number;
    /**
     * q8 only: quantize activations per row instead of per batch, so that a sentence's translation
     * never depends on the other sentences of its batch (resumed runs stay byte-identical). ~15% slower.
     */
    batch_invariant: boolean;
  };
  decoding: {
    /** Beam width; 0 = the model's own generation_config num_beams; 1 = greedy. */
    beams: number;
    length_penalty: number;
    early_stopping: boolean;
    /** Output limit per segment: ceil(input_tokens * factor) + extra new tokens. */
    max_new_tokens_factor: number;
    max_new_tokens_extra: number;
    /** 1 = off. Used on every segment when set; the guards also retry with their own values. */
    repetition_penalty: number;
    /** 0 = off. */
    no_repeat_ngram_size: number;
  };
  queue: {
    /** Most segments per model call. */
    batch_size: number;
    /** Most padded input tokens (rows × longest row) per model call. */
    batch_tokens: number;
    /** Files read and parsed ahead of the model; bounds memory. */
    files_in_flight: number;
    /** Times a failing batch is retried (one segment at a time) before its segments are marked failed. */
    retries: number;
    /**
     * Many machines: redis://[:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS) of the BullMQ queue;
     * empty = translate on this machine. The REDIS_URL environment variable and --queue override it.
     */
    redis: string;
    /** Coordinator: batches sent to the queue and not yet back; keep it above the cluster's engine workers. */
    batches_in_flight: number;
    /** BullMQ lockDuration (ms): a worker that stops renewing its lock this long has lost its batch. */
    lock_duration: number;
    /** BullMQ stalledInterval (ms): how often workers look for batches whose worker was lost. */
    stalled_interval: number;
    /** Coordinator: how long (ms) Redis may stay unreachable before the run stops (a rerun resumes). */
    reconnect_limit: number;
    /** Coordinator: say so after this long (ms) with batches waiting and no worker connected. */
    no_worker_warning: number;
  };
  segment: {
    /** Sentences longer than this many tokens are split at clause boundaries (at most the model's limit). */
    max_tokens: number;
    /** Terms copied to the English exactly as written (names, brands). */
    keep: string[];
  };
  input: {
    include: string[];
    exclude: string[];
    /** Files larger than this (MB) are refused with advice: a file is held whole while translated. */
    max_file_mb: number;
    html: {
      /** article: the main text, as Readability finds it; all: every text block of the page. */
      extract: 'article' | 'all';
    };
  };
  output: {
    formats: OutputFormat[];
  };
  memory: {
    enabled: boolean;
    /** Translation memory file; empty = OUT/.dwibahasa/memory.sqlite. */
    path: string;
  };
  guards: {
    enabled: boolean;
    /** Before flagging, retry a flagged sentence (repetition penalty, then clause by clause). */
    retry: boolean;
    /** Flag targets whose length ratio to the source falls outside [min, max] (characters). */
    min_length_ratio: number;
    max_length_ratio: number;
    /** Flag a target whose same n-gram repeats this many times more than in the source. */
    max_repeats: number;
    /** Flag a target that is at least this similar to its source (0–1). */
    copy_similarity: number;
  };
  /** Indonesian term → English wanted (with the terms of `glossary_file`, which these override). */
  glossary: Record<string, string>;
  /** A glossary in its own file (.tsv, .csv, .yaml), relative to the config file; empty = none. */
  glossary_file: string;
}

type Leaf =
  | { kind: 'string'; default: string; allowed?: readonly string[] }
  | { kind: 'int'; default: number; min: number; max: number }
  | { kind: 'number'; default: number; min: number; max: number }
  | { kind: 'boolean'; default: boolean }
  | { kind: 'string-list'; default: string[]; allowed?: readonly string[]; nonEmpty?: boolean }
  | { kind: 'string-map'; default: Record<string, string> };

export type Schema = { [key: string]: Leaf | Schema };

export function isLeaf(node: Leaf | Schema): node is Leaf {
  return typeof (node as Leaf).kind === 'string' && 'default' in node;
}

export const SCHEMA = {
  model: {
    id: { kind: 'string', default: 'Xenova/opus-mt-id-en' },
    dir: { kind: 'string', default: 'models' },
    dtype: { kind: 'string', default: 'q8', allowed: ['q8', 'fp32'] },
    download: { kind: 'string', default: 'auto', allowed: ['auto', 'never'] },
    endpoint: { kind: 'string', default: '' },
  },
  engine: {
    workers: { kind: 'int', default: 0, min: 0, max: 64 },
    threads: { kind: 'int', default: 1, min: 1, max: 64 },
    batch_invariant: { kind: 'boolean', default: true },
  },
  decoding: {
    beams: { kind: 'int', default: 0, min: 0, max: 16 },
    length_penalty: { kind: 'number', default: 1, min: -10, max: 10 },
    early_stopping: { kind: 'boolean', default: true },
    max_new_tokens_factor: { kind: 'number', default: 2, min: 0.5, max: 10 },
    max_new_tokens_extra: { kind: 'int', default: 10, min: 0, max: 512 },
    repetition_penalty: { kind: 'number', default: 1, min: 1, max: 10 },
    no_repeat_ngram_size: { kind: 'int', default: 0, min: 0, max: 10 },
  },
  queue: {
    batch_size: { kind: 'int', default: 16, min: 1, max: 256 },
    batch_tokens: { kind: 'int', default: 4096, min: 64, max: 1_000_000 },
    files_in_flight: { kind: 'int', default: 64, min: 1, max: 100_000 },
    retries: { kind: 'int', default: 2, min: 0, max: 10 },
    redis: { kind: 'string', default: '' },
    batches_in_flight: { kind: 'int', default: 32, min: 1, max: 10_000 },
    lock_duration: { kind: 'int', default: 30_000, min: 1_000, max: 3_600_000 },
    stalled_interval: { kind: 'int', default: 15_000, min: 500, max: 3_600_000 },
    reconnect_limit: { kind: 'int', default: 120_000, min: 1_000, max: 86_400_000 },
    no_worker_warning: { kind: 'int', default: 5_000, min: 500, max: 3_600_000 },
  },
  segment: {
    max_tokens: { kind: 'int', default: 200, min: 8, max: 512 },
    keep: { kind: 'string-list', default: [] },
  },
  input: {
    include: { kind: 'string-list', default: ['**/*.txt', '**/*.md', '**/*.html', '**/*.htm'], nonEmpty: true },
    exclude: { kind: 'string-list', default: [] },
    max_file_mb: { kind: 'number', default: 8, min: 0.001, max: 4096 },
    html: {
      extract: { kind: 'string', default: 'article', allowed: ['article', 'all'] },
    },
  },
  output: {
    formats: {
      kind: 'string-list',
      default: ['md', 'html', 'json', 'txt', 'tmx'],
      allowed: ['md', 'html', 'json', 'txt', 'tmx'],
      nonEmpty: true,
    },
  },
  memory: {
    enabled: { kind: 'boolean', default: true },
    path: { kind: 'string', default: '' },
  },
  guards: {
    enabled: { kind: 'boolean', default: true },
    retry: { kind: 'boolean', default: true },
    min_length_ratio: { kind: 'number', default: 0.5, min: 0, max: 10 },
    max_length_ratio: { kind: 'number', default: 2.5, min: 0, max: 100 },
    max_repeats: { kind: 'int', default: 3, min: 2, max: 100 },
    copy_similarity: { kind: 'number', default: 0.9, min: 0, max: 1 },
  },
  glossary: { kind: 'string-map', default: {} },
  glossary_file: { kind: 'string', default: '' },
} as const satisfies Schema;
