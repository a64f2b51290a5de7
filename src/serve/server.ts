/**
 * `dwibahasa serve`: a local web page over an output folder, where a person reviews the sentences
 * side by side and corrects the English. Node's own http module: five routes and one JSON body do
 * not need a framework, and it keeps the security checks (token, Host, body size) in plain sight.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError, OutputError } from '../errors.js';
import { cookieName, hostAllowed, newToken, requestToken, sameOriginWrite, tokensEqual } from './auth.js';
import { BODY_LIMIT, HttpError, readJsonBody, send, sendJson } from './body.js';
import { Catalog } from './catalog.js';
import { fileRoute, filesRoute, searchRoute } from './routes.js';
import { parseSaveRequest, Saver } from './save.js';

export interface ReviewServerOptions {
  readonly outDir: string;
  /** The translation memory human translations go to. */
  readonly memoryFile: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default: a new random token. */
  readonly token?: string;
  readonly bodyLimit?: number;
}

export interface ReviewServer {
  /** The address to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Files listed when the server started (reviewable or not). */
  readonly files: number;
  close(): Promise<void>;
}

const ASSETS = ['page.html', 'page.js', 'page.css'] as const;
type Asset = (typeof ASSETS)[number];
const TYPES: Record<Asset, string> = {
  'page.html': 'text/html; charset=utf-8',
  'page.js': 'text/javascript; charset=utf-8',
  'page.css': 'text/css; charset=utf-8',
};

/**
 * The page's files, next to this module: src/serve/assets when run from source, dist/src/serve/assets
 * (copied there by `npm run build`, and published with the package) when run from dist.
 */
function loadAssets(): Record<Asset, string> {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
  const missing = ASSETS.filter((a) => !existsSync(path.join(dir, a)));
  if (missing.length > 0) throw new OutputError(`the review page's files (${missing.join(', ')}) are missing from ${dir}; run npm run build, or reinstall dwibahasa`, dir);
  return Object.fromEntries(ASSETS.map((a) => [a, readFileSync(path.join(dir, a), 'utf8')])) as Record<Asset, string>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startReviewServer(opts: ReviewServerOptions): Promise<ReviewServer> {
  const assets = loadAssets();
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const catalog = new Catalog(path.resolve(opts.outDir));
  await catalog.refresh();
  const saver = new Saver(catalog, opts.memoryFile);
  const limit = opts.bodyLimit ?? BODY_LIMIT;
  let port = 0;

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const p = url.pathname;
    if (method === 'POST' && p === '/api/save') {
      const refused = sameOriginWrite(req);
      if (refused !== undefined) throw new HttpError(403, refused);
      const saved = await saver.save(parseSaveRequest(await readJsonBody(req, limit)));
      return sendJson(res, 200, saved);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} ${p} is not supported`);
    if (p === '/' || p === '/index.html') return send(res, 200, TYPES['page.html'], assets['page.html']);
    if (p === '/page.js' || p === '/page.css') {
      const a = p.slice(1) as Asset;
      return send(res, 200, TYPES[a], assets[a]);
    }
    if (p === '/api/files') return sendJson(res, 200, await filesRoute(catalog));
    if (p === '/api/file') return sendJson(res, 200, await fileRoute(catalog, url.searchParams.get('name')));
    if (p === '/api/search') return sendJson(res, 200, await searchRoute(catalog, url.searchParams.get('q')));
    throw new HttpError(404, `nothing at ${p}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host, port, host)) {
      // DNS rebinding: a foreign name resolving here. Answer nothing about the folder.
      return send(res, 403, 'text/plain; charset=utf-8', 'dwibahasa review: unexpected Host header; open the address printed by dwibahasa serve\n');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const given = requestToken(req, url, port);
    if (given === undefined || !tokensEqual(given, token)) {
      const msg = given === undefined
        ? 'dwibahasa review: this server needs its token; open the full address printed by dwibahasa serve (…/?token=…)\n'
        : 'dwibahasa review: wrong token; open the full address printed by dwibahasa serve\n';
      return send(res, given === undefined ? 401 : 403, 'text/plain; charset=utf-8', msg);
    }
    if (url.searchParams.has('token') && req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      // Trade the token in the address for a cookie, and drop it from the address bar and history.
      res.writeHead(303, {
        location: '/',
        'set-cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
        'content-length': '0',
      });
      res.end();
      return;
    }
    await route(req, res, url);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const extra = err instanceof HttpError ? err.extra : {};
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A body refused half-read: close the connection after the answer rather than read the rest.
      if (status === 413) res.setHeader('connection', 'close');
      sendJson(res, status, { error: describeError(err), ...extra });
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(host)}:${port}/?token=${token}`,
    port,
    token,
    files: catalog.list().length,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
