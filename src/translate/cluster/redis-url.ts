/**
 * Redis addresses: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] and rediss:// (TLS). Passwords
 * travel only into the connection options; every message shows the redacted form.
 */
import type { RedisOptions } from 'ioredis';
import { QueueError } from './errors.js';

export interface RedisAddress {
  /** ioredis options for this address (no retry policy: see connection.ts). */
  readonly options: RedisOptions;
  /** The address as it may be printed: password replaced by ***. */
  readonly display: string;
  /** Replace any trace of the password in a message (plain and URL-encoded). */
  readonly redact: (text: string) => string;
}

/** `where` names the source of the address (flag, environment variable, config key) for errors. */
export function parseRedisUrl(raw: string, where: string): RedisAddress {
  const secretFree = redactUserInfo(raw);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new QueueError(`${where}: "${secretFree}" is not a Redis address; write redis://HOST:PORT[/DB] (rediss:// for TLS)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new QueueError(`${where}: "${secretFree}" is not a Redis address (scheme ${url.protocol}); write redis://HOST:PORT[/DB] or rediss://…`);
  }
  if (url.hostname === '') throw new QueueError(`${where}: "${secretFree}" has no host; write redis://HOST:PORT[/DB]`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) {
    throw new QueueError(`${where}: "${secretFree}": the database after the port must be a number, e.g. redis://${url.host}/0`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new QueueError(`${where}: "${secretFree}": options after ? or # are not supported; give the address alone`);
  }
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  // IPv6 literals come bracketed from URL; ioredis wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RedisOptions = {
    host,
    port,
    db: dbText === '' ? 0 : Number(dbText),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(url.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
  };
  const display = `${url.protocol}//${username !== undefined || password !== undefined ? `${username ?? ''}${password !== undefined ? ':***' : ''}@` : ''}${url.host}${dbText !== '' ? `/${dbText}` : ''}`;
  const secrets = password === undefined ? [] : [...new Set([password, url.password, encodeURIComponent(password)])].filter((s) => s.length > 0);
  const redact = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), redactUserInfo(text));
  return { options, display, redact };
}

/** Mask the password part of any address (redis://, rediss://, or a mistyped scheme) inside a text. */
export function redactUserInfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^@\s/]*)@/gi, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/** The address to use: flag, then REDIS_URL, then queue.redis; undefined when none is set. */
export function chooseRedisUrl(flag: string | undefined, env: NodeJS.ProcessEnv, configValue: string): { url: string; where: string } | undefined {
  if (flag !== undefined && flag.trim() !== '') return { url: flag, where: '--queue' };
  const fromEnv = env['REDIS_URL'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { url: fromEnv, where: 'REDIS_URL' };
  if (configValue.trim() !== '') return { url: configValue, where: 'queue.redis' };
  return undefined;
}
