/**
 * Who may talk to the review server: requests that carry its random token (in the address the
 * server printed, then in a cookie), sent to a host name the server answers for. The Host check
 * defeats DNS rebinding (a foreign site's name pointed at 127.0.0.1); the cookie is SameSite=Strict
 * and saves must come from the page's own origin, so other sites' pages cannot act for the user.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';

/** 32 random bytes, URL-safe: unguessable, and safe in a query string and a cookie. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal, so length leaks nothing either. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Cookie names are per port: browsers share cookies across the ports of one host. */
export function cookieName(port: number): string {
  return `dwibahasa_token_${port}`;
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token a request carries: `?token=`, an `Authorization: token …` header, or the cookie. */
export function requestToken(req: IncomingMessage, url: URL, port: number): string | undefined {
  const q = url.searchParams.get('token');
  if (q !== null) return q;
  const auth = req.headers.authorization;
  const m = auth !== undefined ? /^(?:token|bearer)\s+(\S+)$/i.exec(auth) : null;
  if (m !== null) return m[1];
  return cookieValue(req, cookieName(port));
}

/**
 * Host names the server answers for: localhost, any IP literal (a rebinding attack needs a DNS name),
 * and the host it was told to bind, each with the server's port.
 */
export function hostAllowed(hostHeader: string | undefined, port: number, boundHost: string): boolean {
  if (hostHeader === undefined || hostHeader === '') return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (m === null) return false;
  if (m[2] === undefined || Number(m[2]) !== port) return false;
  const name = m[1]!.replace(/^\[|\]$/g, '');
  return name === 'localhost' || net.isIP(name) !== 0 || name === boundHost.toLowerCase().replace(/^\[|\]$/g, '');
}

/**
 * A request that changes something must come from the page itself: a JSON body (an HTML form on
 * another site cannot send one without a CORS preflight this server never answers) and, when the
 * browser says where it comes from, this origin.
 */
export function sameOriginWrite(req: IncomingMessage): string | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return 'a save must be sent as application/json';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return `requests from ${origin} are not accepted`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross-site requests are not accepted';
  return undefined;
}
