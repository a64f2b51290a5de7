/**
 * `model fetch`: download a model's files from a Hugging Face–style hub into a local folder.
 *
 * Every file is written to FILE.part and renamed only after its size checks out, so a final
 * name never holds half a file. A cut download leaves the .part behind and the next run asks the
 * server for the rest with an HTTP Range request; a sidecar FILE.part.meta remembers the ETag so
 * the server can tell (If-Range) when the file changed since and the part must be thrown away.
 *
 * A file already under its final name is skipped without asking the hub: only this module
 * writes final names, and only after a size check, so an existing final file is complete.
 * (Delete it to force a new download.)
 */
import { mkdir, open, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FetchError, describeError } from '../errors.js';
import type { Dtype } from '../types.js';
import { DEFAULT_MODEL_ID, assertModelId, fetchFiles } from './files.js';
import type { Progress } from '../progress.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/**
 * The hub address: an explicit (non-empty) config value wins, then the HF_ENDPOINT environment
 * variable (the convention of the Hugging Face tools), then https://huggingface.co. The config
 * wins because it is the more specific, deliberate choice for this project; HF_ENDPOINT may be
 * set machine-wide for other tools.
 */
export function resolveEndpoint(configValue?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = configValue?.trim() || env['HF_ENDPOINT']?.trim() || DEFAULT_ENDPOINT;
  return chosen.replace(/\/+$/, '');
}

export function fileUrl(endpoint: string, modelId: string, file: string, revision = 'main'): string {
  return `${endpoint.replace(/\/+$/, '')}/${modelId}/resolve/${encodeURIComponent(revision)}/${file}`;
}

export interface FetchProgress {
  /** POSIX path relative to the model folder, e.g. "onnx/encoder_model_quantized.onnx". */
  readonly file: string;
  /** 0-based position of the file in this fetch, out of `fileCount`. */
  readonly fileIndex: number;
  readonly fileCount: number;
  /** Bytes of the file on disk so far (including a resumed part). */
  readonly bytes: number;
  /** The file's full size, when the server said. */
  readonly total: number | undefined;
  readonly state: 'skipped' | 'downloading' | 'done';
}

export interface FetchedFile {
  readonly file: string;
  /** Final size on disk. */
  readonly bytes: number;
  readonly status: 'skipped' | 'downloaded' | 'resumed';
}

export interface FetchResult {
  readonly dir: string;
  readonly files: readonly FetchedFile[];
  /** Bytes that came over the network in this call. */
  readonly bytesDownloaded: number;
}

export interface FetchOptions {
  readonly modelId: string;
  readonly destDir: string;
  readonly dtype: Dtype | 'both';
  /** Hub address, e.g. from resolveEndpoint(). */
  readonly endpoint: string;
  /** Branch, tag or commit; default "main". */
  readonly revision?: string;
  readonly onProgress?: (p: FetchProgress) => void;
  readonly fetchImpl?: typeof fetch;
  readonly signal?: AbortSignal;
  /** Further tries of a file after a network failure or a 5xx, each resuming the part (default 2). */
  readonly retries?: number;
  /** Wait before retry n is n × this (default 1000 ms). */
  readonly retryDelayMs?: number;
  /** Give up on a connection that sends nothing for this long (default 60 000 ms). */
  readonly idleTimeoutMs?: number;
}

interface PartMeta {
  url: string;
  etag?: string;
  total?: number;
}

/** A failure worth another try (network, 5xx) as opposed to one that will repeat (404). */
class RetryableFetchError extends FetchError {}

async function sizeOf(p: string): Promise<number | undefined> {
  try {
    const st = await stat(p);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

async function readMeta(metaPath: string): Promise<PartMeta | undefined> {
  try {
    const m = JSON.parse(await readFile(metaPath, 'utf8')) as unknown;
    if (typeof m === 'object' && m !== null && typeof (m as PartMeta).url === 'string') return m as PartMeta;
  } catch {
    // A missing or unreadable sidecar only costs the If-Range check.
  }
  return undefined;
}

function parseContentRange(h: string | null): { start?: number; total?: number } {
  const m = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(h?.trim() ?? '');
  if (!m) return {};
  return {
    start: m[1] === undefined ? undefined : Number(m[1]),
    total: m[2] === undefined || m[2] === '*' ? undefined : Number(m[2]),
  };
}

/** Content-Length counts encoded bytes; with a Content-Encoding the decoded size is unknown. */
function plainLength(res: Response): number | undefined {
  const enc = res.headers.get('content-encoding');
  if (enc && enc.toLowerCase() !== 'identity') return undefined;
  const len = res.headers.get('content-length');
  return len === null || !/^\d+$/.test(len) ? undefined : Number(len);
}

function httpError(status: number, file: string, url: string, modelId: string): FetchError {
  if (status === 404) {
    return new FetchError(`${file} not found on the hub (${url}, HTTP 404): is the model id "${modelId}" right?`, url);
  }
  if (status === 401 || status === 403) {
    return new FetchError(
      `the hub refused ${file} (${url}, HTTP ${status}): the model id "${modelId}" may be wrong, or the model is private or gated`,
      url,
    );
  }
  const msg = `downloading ${file} failed: ${url} answered HTTP ${status}`;
  return status >= 500 || status === 429 ? new RetryableFetchError(msg, url) : new FetchError(msg, url);
}

interface FileJob {
  readonly file: string;
  readonly url: string;
  readonly finalPath: string;
  readonly report: (bytes: number, total: number | undefined, state: FetchProgress['state']) => void;
}

/** One try at one file: bytes received over the network, and whether they extended an existing part. */
async function attempt(
  job: FileJob,
  opts: FetchOptions,
  fetchImpl: typeof fetch,
): Promise<{ received: number; appended: boolean }> {
  const partPath = `${job.finalPath}.part`;
  const metaPath = `${job.finalPath}.part.meta`;
  let offset = (await sizeOf(partPath)) ?? 0;
  const meta = offset > 0 ? await readMeta(metaPath) : undefined;
  // A part from another URL (other revision or endpoint) is not a prefix of this file.
  if (meta && meta.url !== job.url) offset = 0;

  const idle = new AbortController();
  const idleMs = opts.idleTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(new Error(`no data for ${Math.round(idleMs / 1000)} s`)), idleMs);
  };
  const signal = opts.signal ? AbortSignal.any([opts.signal, idle.signal]) : idle.signal;

  try {
    for (let restarts = 0; ; restarts++) {
      // Identity encoding keeps Content-Length equal to the bytes written, so sizes can be checked.
      const headers: Record<string, string> = { 'accept-encoding': 'identity' };
      if (offset > 0) {
        headers['range'] = `bytes=${offset}-`;
        if (meta?.etag && !meta.etag.startsWith('W/')) headers['if-range'] = meta.etag;
      }
      arm();
      let res: Response;
      try {
        res = await fetchImpl(job.url, { headers, signal, redirect: 'follow' });
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        throw new RetryableFetchError(`cannot reach ${job.url} (${describeError(err)})`, job.url, { cause: err });
      }

      let total: number | undefined;
      let append = false;
      if (res.status === 416 && offset > 0) {
        await res.body?.cancel();
        const { total: t } = parseContentRange(res.headers.get('content-range'));
        if (t === offset) return { received: 0, appended: true }; // the part already holds the whole file: the caller renames it
        if (restarts > 0) throw new FetchError(`${job.url} keeps refusing the range request (HTTP 416)`, job.url);
        offset = 0; // stale part: longer than the file now is
        continue;
      }
      if (res.status === 206) {
        const cr = parseContentRange(res.headers.get('content-range'));
        if (cr.start !== offset || (meta?.total !== undefined && cr.total !== undefined && cr.total !== meta.total)) {
          await res.body?.cancel();
          if (restarts > 0 || offset === 0) {
            throw new FetchError(`${job.url} answered a range request inconsistently (HTTP 206)`, job.url);
          }
          offset = 0;
          continue;
        }
        total = cr.total;
        append = offset > 0;
      } else if (res.status === 200) {
        total = plainLength(res); // a 200 to a Range request means the server sends it all again
      } else {
        await res.body?.cancel();
        throw httpError(res.status, job.file, job.url, opts.modelId);
      }
      if (!append) {
        offset = 0;
        const etag = res.headers.get('etag') ?? undefined;
        await writeFile(metaPath, JSON.stringify({ url: job.url, etag, total } satisfies PartMeta));
      }

      const fh = await open(partPath, append ? 'a' : 'w');
      let size = offset;
      let received = 0;
      job.report(size, total, 'downloading');
      try {
        if (res.body) {
          for await (const chunk of res.body) {
            arm();
            await fh.write(chunk);
            size += chunk.byteLength;
            received += chunk.byteLength;
            job.report(size, total, 'downloading');
          }
        }
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        const why = idle.signal.aborted ? describeError(idle.signal.reason) : describeError(err);
        throw new RetryableFetchError(
          `download of ${job.file} was cut after ${size} of ${total ?? '?'} bytes (${why})`,
          job.url,
          { cause: err },
        );
      } finally {
        await fh.close();
      }
      if (total !== undefined && size < total) {
        throw new RetryableFetchError(
          `download of ${job.file} ended after ${size} of ${total} bytes (the server closed the connection)`,
          job.url,
        );
      }
      if (total !== undefined && size > total) {
        await rm(partPath, { force: true });
        throw new FetchError(`download of ${job.file} gave ${size} bytes, more than the ${total} announced`, job.url);
      }
      return { received, appended: append };
    }
  } finally {
    clearTimeout(timer);
  }
}

async function downloadFile(job: FileJob, opts: FetchOptions, fetchImpl: typeof fetch): Promise<FetchedFile & { received: number }> {
  const partPath = `${job.finalPath}.part`;
  const metaPath = `${job.finalPath}.part.meta`;
  const existing = await sizeOf(job.finalPath);
  if (existing !== undefined && existing > 0) {
    await rm(partPath, { force: true });
    await rm(metaPath, { force: true });
    job.report(existing, existing, 'skipped');
    return { file: job.file, bytes: existing, status: 'skipped', received: 0 };
  }
  await mkdir(path.dirname(job.finalPath), { recursive: true });
  const retries = opts.retries ?? 2;
  const delay = opts.retryDelayMs ?? 1000;
  let received = 0;
  let resumed = false;
  for (let n = 0; ; n++) {
    try {
      const r = await attempt(job, opts, fetchImpl);
      received += r.received;
      resumed = r.appended;
      break;
    } catch (err) {
      const partSize = (await sizeOf(partPath)) ?? 0;
      if (err instanceof RetryableFetchError && n < retries) {
        await new Promise((r) => setTimeout(r, delay * (n + 1)));
        continue;
      }
      const keep =
        partSize > 0 ? ` The partial download is kept at ${partPath}: run the same command again to resume.` : '';
      if (err instanceof FetchError) throw new FetchError(err.message + keep, err.url, { cause: err.cause ?? err });
      throw new FetchError(`download of ${job.file} was interrupted (${describeError(err)}).${keep}`, job.url, {
        cause: err,
      });
    }
  }
  await rename(partPath, job.finalPath);
  await rm(metaPath, { force: true });
  const bytes = (await sizeOf(job.finalPath)) ?? 0;
  job.report(bytes, bytes, 'done');
  return { file: job.file, bytes, status: resumed ? 'resumed' : 'downloaded', received };
}

/** Downloads the files `dtype` needs (see fetchFiles) into destDir, resuming and skipping as it can. */
export async function fetchModel(opts: FetchOptions): Promise<FetchResult> {
  assertModelId(opts.modelId, {}, 2);
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
  const files = fetchFiles(opts.dtype);
  const results: FetchedFile[] = [];
  let bytesDownloaded = 0;
  // The first folder this fetch creates: a fetch that fails before any byte arrives removes what
  // it created, so no empty model folder is left to look installed (a partial download stays).
  const created = await mkdir(opts.destDir, { recursive: true });
  try {
    await fetchAll();
  } catch (err) {
    if (created !== undefined) await removeEmptyFolders(opts.destDir, created);
    throw err;
  }
  return { dir: opts.destDir, files: results, bytesDownloaded };

  async function fetchAll(): Promise<void> {
    for (const [i, file] of files.entries()) {
      const job: FileJob = {
        file,
        url: fileUrl(opts.endpoint, opts.modelId, file, opts.revision),
        finalPath: path.join(opts.destDir, ...file.split('/')),
        report: (bytes, total, state) =>
          opts.onProgress?.({ file, fileIndex: i, fileCount: files.length, bytes, total, state }),
      };
      const { received, ...r } = await downloadFile(job, opts, fetchImpl);
      bytesDownloaded += received;
      results.push(r);
    }
  }
}

/** Removes `dir` and its empty sub-folders, then its empty parents up to and including `top`; never a file. */
async function removeEmptyFolders(dir: string, top: string): Promise<void> {
  const prune = async (d: string): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return false;
    }
    let empty = true;
    for (const e of entries) {
      if (!e.isDirectory() || !(await prune(path.join(d, e.name)))) empty = false;
    }
    if (!empty) return false;
    return rmdir(d).then(() => true, () => false);
  };
  if (!(await prune(dir))) return;
  for (let d = path.dirname(dir); d.length >= top.length && d.startsWith(top); d = path.dirname(d)) {
    if (!(await rmdir(d).then(() => true, () => false))) return;
    if (d === top) return;
  }
}

/** Feeds fetch progress to a progress bar: one line per file, skipped files as log lines. */
export function reportFetchProgress(bar: Progress): (p: FetchProgress) => void {
  return (p) => {
    const label = `[${p.fileIndex + 1}/${p.fileCount}] ${p.file}`;
    if (p.state === 'skipped') bar.log(`${label}: already complete, skipped`);
    else if (p.state === 'downloading') bar.update({ label, current: p.bytes, total: p.total, unit: 'bytes' });
    else bar.done('done');
  };
}

/**
 * Whether the hub answers at all within `timeoutMs` (a HEAD on the model's config.json).
 * Any HTTP answer below 500 counts: a wrong id then fails in fetchModel with a clear message,
 * rather than looking like being offline.
 */
export async function isHubReachable(
  endpoint: string,
  timeoutMs: number,
  opts: { modelId?: string; fetchImpl?: typeof fetch } = {},
): Promise<boolean> {
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
  try {
    const res = await fetchImpl(fileUrl(endpoint, opts.modelId ?? DEFAULT_MODEL_ID, 'config.json'), {
      method: 'HEAD',
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
    });
    await res.body?.cancel();
    return res.status < 500;
  } catch {
    return false;
  }
}
