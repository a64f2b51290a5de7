/**
 * A loopback stand-in for the Hugging Face hub: serves files at /MODEL_ID/resolve/main/FILE with
 * Range and If-Range support, and switches to misbehave (cut a connection, 404, ignore Range).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Rng } from '../../testmodel/seeded-random.js';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
}

export interface FakeHub {
  readonly endpoint: string;
  readonly modelId: string;
  readonly files: Map<string, Buffer>;
  readonly requests: SeenRequest[];
  /** Next response for FILE sends only this many body bytes, then the socket is destroyed (once). */
  readonly cutAfter: Map<string, number>;
  /** Next response for FILE sends this many body bytes, then nothing more until closed (once). */
  readonly stallAfter: Map<string, number>;
  readonly notFound: Set<string>;
  ignoreRange: boolean;
  /** Requests (GET) for one file. */
  requestsFor(file: string): SeenRequest[];
  close(): Promise<void>;
}

/** Deterministic pseudo-random bytes, so failures reproduce. */
export function seededBytes(length: number, seed: number): Buffer {
  const buf = Buffer.alloc(length);
  const rng = new Rng(seed);
  for (let i = 0; i < length; i++) buf[i] = rng.uint32() & 0xff;
  return buf;
}

const etagOf = (b: Buffer): string => `"${createHash('sha256').update(b).digest('hex').slice(0, 32)}"`;

export async function startFakeHub(modelId: string, files: Record<string, Buffer>): Promise<FakeHub> {
  const hub = {
    modelId,
    files: new Map(Object.entries(files)),
    requests: [] as SeenRequest[],
    cutAfter: new Map<string, number>(),
    stallAfter: new Map<string, number>(),
    notFound: new Set<string>(),
    ignoreRange: false,
  };
  const prefix = `/${modelId}/resolve/main/`;
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const range = req.headers['range'];
    const ifRange = req.headers['if-range'];
    hub.requests.push({
      method: req.method ?? 'GET',
      path: url,
      range: typeof range === 'string' ? range : undefined,
      ifRange: typeof ifRange === 'string' ? ifRange : undefined,
    });
    const file = url.startsWith(prefix) ? decodeURIComponent(url.slice(prefix.length)) : undefined;
    const body = file === undefined ? undefined : hub.files.get(file);
    if (file === undefined || body === undefined || hub.notFound.has(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const etag = etagOf(body);
    let start = 0;
    let status = 200;
    const headers: Record<string, string | number> = { etag, 'accept-ranges': 'bytes' };
    const m = typeof range === 'string' ? /^bytes=(\d+)-$/.exec(range) : null;
    const rangeApplies = m && !hub.ignoreRange && (ifRange === undefined || ifRange === etag);
    if (m && rangeApplies) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    }
    const slice = body.subarray(start);
    headers['content-length'] = slice.length;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const cut = hub.cutAfter.get(file);
    if (cut !== undefined) {
      hub.cutAfter.delete(file);
      res.write(slice.subarray(0, cut), () => res.socket?.destroy());
      return;
    }
    const stall = hub.stallAfter.get(file);
    if (stall !== undefined) {
      hub.stallAfter.delete(file);
      res.write(slice.subarray(0, stall));
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(hub, {
    endpoint: `http://127.0.0.1:${port}`,
    requestsFor: (file: string) => hub.requests.filter((r) => r.method === 'GET' && r.path === prefix + file),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
