/**
 * The queue path in one process, against a real redis-server: fake engines stand in for the model
 * so that what is checked is delivery (twice, refused, from the shared memory), not translation.
 */
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modelKeyOf } from '../../../src/memory/model-key.js';
import { BatchWorker } from '../../../src/translate/cluster/batch-worker.js';
import { openClient } from '../../../src/translate/cluster/connection.js';
import { JOB_NAME, PREFIX, memoryKeyWith, queueNameFor, type BatchJobData, type BatchJobResult } from '../../../src/translate/cluster/protocol.js';
import { QueueEngine } from '../../../src/translate/cluster/queue-engine.js';
import { parseRedisUrl, type RedisAddress } from '../../../src/translate/cluster/redis-url.js';
import { SharedMemory } from '../../../src/translate/cluster/shared-memory.js';
import type { ModelIdentity } from '../../../src/translate/model-identity.js';
import { FakeEngine, reverseWords } from '../../helpers/fake-engine.js';
import { skipWithoutRedis, startRedis, type RedisServer } from '../../helpers/redis-server.js';

const skip = skipWithoutRedis();

describe.skipIf(skip)('queue delivery', () => {
  let redis: RedisServer;
  let address: RedisAddress;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    redis = await startRedis();
    address = parseRedisUrl(redis.url, 'test');
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    const client = openClient(address);
    await client.flushall();
    client.disconnect();
  });
  afterAll(async () => redis.stop());

  function startWorker(engine: FakeEngine, log: string[] = []): BatchWorker {
    const w = new BatchWorker({ address, engine, concurrency: 1, lockDuration: 5000, stalledInterval: 5000, log: (l) => log.push(l) });
    closers.push(() => w.close(true));
    return w;
  }

  function queueFor(engine: FakeEngine): { queue: Queue<BatchJobData, BatchJobResult>; events: QueueEvents } {
    const name = queueNameFor(modelKeyOf(engine.info));
    const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
    const queue = new Queue<BatchJobData, BatchJobResult>(name, { connection, prefix: PREFIX });
    const events = new QueueEvents(name, { connection, prefix: PREFIX });
    closers.push(async () => {
      await events.close();
      await queue.close();
    });
    return { queue, events };
  }

  it('a batch done twice at once is stored once, and both deliveries answer with the same text', async () => {
    // Two workers whose "models" disagree, so a second write that won would show.
    const a = new FakeEngine({ delayMs: 300, translate: (t) => `A ${reverseWords(t)}` });
    const b = new FakeEngine({ delayMs: 300, translate: (t) => `B ${reverseWords(t)}` });
    await Promise.all([startWorker(a).ready(), startWorker(b).ready()]);
    const { queue, events } = queueFor(a);
    await events.waitUntilReady();
    const data: BatchJobData = { modelKey: modelKeyOf(a.info), options: {}, segments: ['satu dua', 'tiga empat'], run: 'test' };
    const jobs = await Promise.all([queue.add(JOB_NAME, data, { jobId: 'first' }), queue.add(JOB_NAME, data, { jobId: 'again' })]);
    const [r1, r2] = await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 20_000))) as [BatchJobResult, BatchJobResult];
    expect(a.calls + b.calls).toBe(2);
    expect(r1.targets).toEqual(r2.targets);
    expect(r1.targets[0]).toMatch(/^[AB] dua satu$/);
    const client = openClient(address);
    const stored = await new SharedMemory(client).getMany(memoryKeyWith(data.modelKey, {}), data.segments);
    expect([...stored.values()]).toEqual(r1.targets);
    expect((await client.keys(`${PREFIX}:memory:*`)).length).toBe(2);
    client.disconnect();
  });

  it('a worker never translates a batch made for another model key: it puts it back and says so', async () => {
    const engine = new FakeEngine();
    const log: string[] = [];
    await startWorker(engine, log).ready();
    const { queue, events } = queueFor(engine);
    await events.waitUntilReady();
    const delayed = new Promise<void>((resolve) => events.once('delayed', () => resolve()));
    await queue.add(JOB_NAME, { modelKey: '{"id":"another"}', options: {}, segments: ['satu'], run: 'test' }, { jobId: 'stranger' });
    await delayed;
    expect(engine.calls).toBe(0);
    expect(await (await queue.getJob('stranger'))!.getState()).toBe('delayed');
    expect(log.join('\n')).toMatch(/refusing batch stranger: it was made for another model/);
  });

  it('the coordinator engine sends batches to the workers, and a later run gets them from the shared memory', async () => {
    const fake = new FakeEngine();
    await startWorker(fake).ready();
    const identity = { info: fake.info, maxInputTokens: 512, tokenizer: { encode: (t: string) => t.split(' ') } } as unknown as ModelIdentity;
    const open = async (): Promise<QueueEngine> => {
      const e = new QueueEngine({ address, identity, batchesInFlight: 4, reconnectLimit: 10_000, noWorkerWarning: 10_000, log: () => undefined });
      closers.push(() => e.dispose());
      await e.ready();
      return e;
    };
    const first = await open();
    const out = await first.translate(['satu dua tiga', 'empat lima']);
    expect(out.map((o) => o.text)).toEqual(['tiga dua satu', 'lima empat']);
    expect(first.tally.summaryLines(fake.info).join('\n')).toMatch(/Workers: 1\n {2}\S+ \(pid \d+\): 1 batches/);
    const second = await open();
    expect((await second.translate(['empat lima'])).map((o) => o.text)).toEqual(['lima empat']);
    expect(second.tally.sharedMemoryHits).toBe(1);
    expect(fake.calls).toBe(1);
    // Guard retries (other decoding options) are other translations: not served from the plain ones.
    await second.translate(['empat lima'], { repetitionPenalty: 1.3 });
    expect(fake.calls).toBe(2);
  });
});
