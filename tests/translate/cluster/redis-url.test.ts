import { describe, expect, it } from 'vitest';
import { QueueError } from '../../../src/translate/cluster/errors.js';
import { chooseRedisUrl, parseRedisUrl, redactUserInfo } from '../../../src/translate/cluster/redis-url.js';

describe('Redis addresses', () => {
  it('reads host, port and database; 6379 and db 0 when left out', () => {
    expect(parseRedisUrl('redis://10.0.0.5:6380/2', '--queue').options).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2 });
    expect(parseRedisUrl('redis://cache.local', '--queue').options).toMatchObject({ host: 'cache.local', port: 6379, db: 0 });
    expect(parseRedisUrl('redis://[::1]:7000', '--queue').options).toMatchObject({ host: '::1', port: 7000 });
  });

  it('rediss:// turns TLS on, checked against the host name', () => {
    const a = parseRedisUrl('rediss://:pw@redis.example.org:6380', 'REDIS_URL');
    expect(a.options.tls).toEqual({ servername: 'redis.example.org' });
    expect(parseRedisUrl('redis://redis.example.org', 'REDIS_URL').options.tls).toBeUndefined();
  });

  it('passes user and password to the connection, never to what is printed', () => {
    const a = parseRedisUrl('redis://app:s%40cret%2Fx@127.0.0.1:6379/1', 'queue.redis');
    expect(a.options).toMatchObject({ username: 'app', password: 's@cret/x' });
    expect(a.display).toBe('redis://app:***@127.0.0.1:6379/1');
    expect(a.redact('error: s@cret/x or s%40cret%2Fx in redis://app:s%40cret%2Fx@h')).toBe('error: *** or *** in redis://app:***@h');
  });

  it('refuses what is not a Redis address, naming where it came from and without the password', () => {
    const bad = (raw: string): QueueError => {
      try {
        parseRedisUrl(raw, 'REDIS_URL');
      } catch (err) {
        if (err instanceof QueueError) return err;
      }
      throw new Error('expected a QueueError');
    };
    expect(bad('http://:topsecret@host:1').message).toMatch(/^REDIS_URL: "http:\/\/:\*\*\*@host:1" is not a Redis address/);
    expect(bad('http://:topsecret@host:1').message).not.toContain('topsecret');
    expect(bad('redis://host:1/zero').message).toMatch(/database after the port must be a number/);
    expect(bad('not a url').message).toMatch(/is not a Redis address/);
  });

  it('masks passwords of any address inside a text', () => {
    expect(redactUserInfo('at redis://:pw@a:1 and rediss://u:p2@b')).toBe('at redis://:***@a:1 and rediss://u:***@b');
    expect(redactUserInfo('redis://onlyuser@a')).toBe('redis://onlyuser@a');
  });

  it('--queue, then REDIS_URL, then queue.redis', () => {
    const env = { REDIS_URL: 'redis://env:1' };
    expect(chooseRedisUrl('redis://flag:1', env, 'redis://cfg:1')).toEqual({ url: 'redis://flag:1', where: '--queue' });
    expect(chooseRedisUrl(undefined, env, 'redis://cfg:1')).toEqual({ url: 'redis://env:1', where: 'REDIS_URL' });
    expect(chooseRedisUrl(undefined, {}, 'redis://cfg:1')).toEqual({ url: 'redis://cfg:1', where: 'queue.redis' });
    expect(chooseRedisUrl(undefined, {}, '')).toBeUndefined();
  });
});
