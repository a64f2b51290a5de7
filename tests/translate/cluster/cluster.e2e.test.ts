/**
 * Many machines, for real: a redis-server on a loopback port, worker processes and the coordinator
 * (the built CLI), the generated tiny model. Every fault ends in outputs byte-identical to a local
 * run of the same inputs and settings.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/cli-helpers.js';
import { killAll, startCli, type CliProcess } from '../../helpers/cli-process.js';
import { startRedis, skipWithoutRedis, type RedisServer } from '../../helpers/redis-server.js';
import { SENTENCES, makeTinyModel } from '../../helpers/tiny-model.js';

const skip = skipWithoutRedis();
const HOLD = 'DWIBAHASA_TEST_HOLD_BATCH_MS';

let model: string;
let otherModel: string;
let input: string;
let reference: Map<string, Buffer>;

/** Every output file (the run state in .dwibahasa aside), by path relative to the folder. */
function outputs(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (n === '.dwibahasa') continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function expectSameAsLocal(dir: string): void {
  const got = outputs(dir);
  expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
  for (const [name, bytes] of reference) expect(got.get(name)!.equals(bytes), name).toBe(true);
}

/** Settings shared by the local reference run and every cluster run: small batches, so a run has many. */
const RUN_SETS = ['--set', 'guards.retry=false', '--set', 'queue.batch_size=4'];
/** Worker and coordinator timings short enough for a test: a lost worker's batch is retaken in seconds. */
const QUEUE_SETS = ['--set', 'queue.lock_duration=2000', '--set', 'queue.stalled_interval=1000', '--set', 'queue.no_worker_warning=1000'];

function freshOut(): string {
  return mkdtempSync(join(tmpdir(), 'dwb-cluster-out-'));
}

function coordinatorArgs(out: string, url: string, extra: string[] = []): string[] {
  return ['translate', input, '--out', out, '--model', model, ...RUN_SETS, ...QUEUE_SETS, '--queue', url, ...extra];
}

function worker(url: string, opts: { model?: string; holdMs?: number } = {}): CliProcess {
  return startCli(['worker', '--queue', url, '--model', opts.model ?? model, '--concurrency', '1', ...QUEUE_SETS], opts.holdMs ? { [HOLD]: String(opts.holdMs) } : {});
}

async function readyWorker(url: string, opts: { model?: string; holdMs?: number } = {}): Promise<CliProcess> {
  const w = worker(url, opts);
  await w.waitFor(/waiting for batches/);
  return w;
}

describe.skipIf(skip)('many machines: BullMQ on a real redis-server', () => {
  let redis: RedisServer | undefined;

  beforeAll(async () => {
    [model, otherModel] = await Promise.all([makeTinyModel(), makeTinyModel({ seed: 1 })]);
    input = mkdtempSync(join(tmpdir(), 'dwb-cluster-in-'));
    // Three articles, some sentences shared between them (served once, then from the memory).
    for (let f = 0; f < 3; f++) {
      const paras = SENTENCES.map((_, i) => `${SENTENCES[(i + f) % SENTENCES.length]} ${SENTENCES[(i * 3 + f + 1) % SENTENCES.length]}`);
      writeFileSync(join(input, `artikel-${f}.txt`), `Judul ${f}\n\n${paras.join('\n\n')}\n`);
    }
    const local = freshOut();
    const r = await runCli(['translate', input, '--out', local, '--model', model, ...RUN_SETS]);
    expect(r.code, r.stderr).toBe(0);
    reference = outputs(local);
  });

  afterEach(async () => {
    killAll();
    await redis?.stop();
    redis = undefined;
  });

  it('two workers; kill -9 one in the middle of a batch: another worker takes it, outputs as a local run', async () => {
    redis = await startRedis();
    // Worker A holds every batch it takes, so the kill lands mid-batch; worker B translates.
    const a = await readyWorker(redis.url, { holdMs: 60_000 });
    const b = await readyWorker(redis.url);
    const out = freshOut();
    const coordinator = startCli(coordinatorArgs(out, redis.url));
    await a.waitFor(/batch \w+ \(\d+ segments\) started/);
    await a.kill('SIGKILL');
    const end = await coordinator.exited;
    expect(end.code, coordinator.output()).toBe(0);
    expectSameAsLocal(out);
    expect(coordinator.output()).toMatch(/lost its worker; BullMQ put it back in the queue/);
    expect(coordinator.output()).toMatch(/Retried batches: 1 /);
    expect(b.output()).toMatch(/started \(again: its first worker was lost\)/);
  }, 120_000);

  it('kill -9 the coordinator mid-run: the same command again resumes and gives the same outputs', async () => {
    redis = await startRedis();
    await readyWorker(redis.url, { holdMs: 300 });
    const out = freshOut();
    const first = startCli(coordinatorArgs(out, redis.url));
    await first.waitFor(/^done /m);
    await first.kill('SIGKILL');
    const again = await runCli(coordinatorArgs(out, redis.url));
    expect(again.code, again.stderr).toBe(0);
    expectSameAsLocal(out);
    // Finished work came back from the memory (local SQLite, or the cluster's for batches done meanwhile).
    // The final report (with the cluster's summary) is on stdout.
    expect(again.stdout).toMatch(/(\d+ from the translation memory|Shared memory: \d+ segments)/);
    expect(again.stdout).not.toMatch(/ 0 from the translation memory[\s\S]*Retried/);
  }, 120_000);

  it('Redis stops for a while: coordinator and worker say so, reconnect and go on', async () => {
    redis = await startRedis();
    const w = await readyWorker(redis.url, { holdMs: 300 });
    const out = freshOut();
    const coordinator = startCli(coordinatorArgs(out, redis.url));
    await w.waitFor(/batch \w+ done/);
    await redis.stop();
    await coordinator.waitFor(/lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+/);
    await w.waitFor(/lost the connection to Redis/);
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();
    const end = await coordinator.exited;
    expect(end.code, coordinator.output()).toBe(0);
    expectSameAsLocal(out);
    expect(coordinator.output()).toMatch(/reconnected to Redis at redis:\/\/127\.0\.0\.1:\d+ after/);
    expect(w.output()).toMatch(/reconnected to Redis/);
  }, 120_000);

  it('Redis away past queue.reconnect_limit: the coordinator stops with a clear error; a rerun resumes', async () => {
    redis = await startRedis();
    await readyWorker(redis.url, { holdMs: 300 });
    const out = freshOut();
    const coordinator = startCli(coordinatorArgs(out, redis.url, ['--set', 'queue.reconnect_limit=2000']));
    await coordinator.waitFor(/^done /m);
    await redis.stop();
    const end = await coordinator.exited;
    expect(end.code).toBe(2);
    expect(coordinator.output()).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ has been unreachable for \d+ s \(queue\.reconnect_limit is 2000 ms/);
    expect(coordinator.output()).toMatch(/run the same command again/);
    await redis.start();
    await readyWorker(redis.url);
    const again = await runCli(coordinatorArgs(out, redis.url));
    expect(again.code, again.stderr).toBe(0);
    expectSameAsLocal(out);
    expect(again.stdout).toMatch(/[1-9]\d* from the translation memory/);
  }, 120_000);

  it('no worker connected: says so after a few seconds, keeps waiting, and a late worker finishes the run', async () => {
    redis = await startRedis();
    const out = freshOut();
    const coordinator = startCli(coordinatorArgs(out, redis.url));
    await coordinator.waitFor(/no worker is connected to redis:\/\/127\.0\.0\.1:\d+ .*Still waiting/);
    await readyWorker(redis.url);
    const end = await coordinator.exited;
    expect(end.code, coordinator.output()).toBe(0);
    expectSameAsLocal(out);
    expect(coordinator.output()).toMatch(/(worker connected: .*|a worker took a batch); going on/);
  }, 120_000);

  it('a worker with another model refuses the run (its log, the summary); the right worker finishes it', async () => {
    redis = await startRedis();
    const wrong = await readyWorker(redis.url, { model: otherModel });
    const out = freshOut();
    const coordinator = startCli(coordinatorArgs(out, redis.url));
    await wrong.waitFor(/refusing the batches of the run on .* model files \w+ vs \w+/);
    await coordinator.waitFor(/has another model or decoding settings/);
    await readyWorker(redis.url);
    const end = await coordinator.exited;
    expect(end.code, coordinator.output()).toBe(0);
    expectSameAsLocal(out);
    expect(coordinator.output()).toMatch(/Refused: worker .* has another model or decoding settings \(.*model files/);
    expect(wrong.output()).not.toMatch(/batch \w+ \(\d+ segments\) started/);
  }, 120_000);

  it('a password in REDIS_URL, --local-workers: the run works and the password is never printed', async () => {
    const secret = 'pa55-w0rd-s3cr3t';
    redis = await startRedis({ password: secret });
    const out = freshOut();
    // REDIS_URL wins over queue.redis (set here to an address where nothing listens).
    const args = ['translate', input, '--out', out, '--model', model, ...RUN_SETS, ...QUEUE_SETS, '--set', 'queue.redis=redis://127.0.0.1:9', '--local-workers', '1'];
    const r = await runCli(args, { env: { REDIS_URL: redis.url } });
    expect(r.code, r.stderr).toBe(0);
    expectSameAsLocal(out);
    expect(r.stderr).toMatch(/redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    expect(r.stderr + r.stdout).not.toContain(secret);
    expect(r.stdout).toMatch(/--local-workers\): \d+ batches/);

    const wrong = await runCli([...args, '--set', 'queue.reconnect_limit=1000'], { env: { REDIS_URL: `redis://:not-${secret}@127.0.0.1:${redis.port}` } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/WRONGPASS|NOAUTH|invalid password/i);
    expect(wrong.stderr + wrong.stdout).not.toContain(secret);
  }, 120_000);
});
