/** The review server's request checks, one by one. */
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { cookieValue, hostAllowed, newToken, requestToken, sameOriginWrite, tokensEqual } from '../../src/serve/auth.js';

const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

describe('review server auth', () => {
  it('makes long, different, URL-safe tokens and compares them exactly', () => {
    const a = newToken();
    const b = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(tokensEqual(a, a)).toBe(true);
    expect(tokensEqual(a, b)).toBe(false);
    expect(tokensEqual(a, a.slice(0, -1))).toBe(false);
    expect(tokensEqual('', a)).toBe(false);
  });

  it('answers localhost and IP literals on its own port, and the host it was bound to; nothing else', () => {
    expect(hostAllowed('127.0.0.1:8080', 8080, '127.0.0.1')).toBe(true);
    expect(hostAllowed('LOCALHOST:8080', 8080, '127.0.0.1')).toBe(true);
    expect(hostAllowed('[::1]:8080', 8080, '::1')).toBe(true);
    expect(hostAllowed('192.168.1.5:8080', 8080, '0.0.0.0')).toBe(true);
    expect(hostAllowed('127.0.0.1:8081', 8080, '127.0.0.1')).toBe(false);
    expect(hostAllowed('127.0.0.1', 8080, '127.0.0.1')).toBe(false);
    expect(hostAllowed('attacker.example:8080', 8080, '127.0.0.1')).toBe(false);
    expect(hostAllowed('127.0.0.1.attacker.example:8080', 8080, '127.0.0.1')).toBe(false);
    expect(hostAllowed(undefined, 8080, '127.0.0.1')).toBe(false);
  });

  it('finds the token in the query, an Authorization header or its own port\'s cookie', () => {
    const url = new URL('http://x/?token=q');
    expect(requestToken(req({}), url, 1)).toBe('q');
    expect(requestToken(req({ authorization: 'token h' }), new URL('http://x/'), 1)).toBe('h');
    expect(requestToken(req({ cookie: 'a=b; dwibahasa_token_1=c' }), new URL('http://x/'), 1)).toBe('c');
    expect(requestToken(req({ cookie: 'dwibahasa_token_2=c' }), new URL('http://x/'), 1)).toBeUndefined();
    expect(cookieValue(req({ cookie: 'x=1;y=2' }), 'y')).toBe('2');
  });

  it('accepts only same-origin JSON writes', () => {
    expect(sameOriginWrite(req({ 'content-type': 'application/json', host: 'h:1', origin: 'http://h:1' }))).toBeUndefined();
    expect(sameOriginWrite(req({ 'content-type': 'application/json; charset=utf-8', host: 'h:1' }))).toBeUndefined();
    expect(sameOriginWrite(req({ 'content-type': 'text/plain', host: 'h:1' }))).toMatch(/application\/json/);
    expect(sameOriginWrite(req({ 'content-type': 'application/json', host: 'h:1', origin: 'http://evil' }))).toMatch(/evil/);
    expect(sameOriginWrite(req({ 'content-type': 'application/json', host: 'h:1', 'sec-fetch-site': 'same-site' }))).toMatch(/cross-site/);
  });
});
