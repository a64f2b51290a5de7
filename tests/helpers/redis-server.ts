/**
 * A real redis-server for a test (bench/redis-server.ts starts it). Without redis-server the tests
 * that need it are skipped, except under CI=true, where they fail (CI installs it: .ci/run).
 */
import { spawnSync } from 'node:child_process';
import { REDIS_SERVER } from '../../bench/redis-server.js';

export { freePort, startRedis, type RedisServer } from '../../bench/redis-server.js';

export function hasRedisServer(): boolean {
  return spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Call at the top of a test file: true when the tests must be skipped (never under CI). */
export function skipWithoutRedis(): boolean {
  if (hasRedisServer()) return false;
  if (process.env['CI'] === 'true') throw new Error(`${REDIS_SERVER} is not installed, and CI=true: install it (apt-get install redis-server), as .ci/run does`);
  return true;
}
