/** Issue 9, point 5: every setting that changes the English is part of "current" in the run manifest. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { openRunManifest } from '../../src/pipeline/manifest-adapter.js';
import type { ModelInfo } from '../../src/types.js';

const info: ModelInfo = { id: 'fake/reverse', dtype: 'q8', hash: '0000', decoding: { beams: 1 } };
const SHA = 'a'.repeat(64);

/** Record a finished file under `before`, reopen the manifest under `after`: is the file current? */
async function currentAfter(change: (c: Config) => void, modelKeyAfter = 'mk'): Promise<boolean> {
  const out = mkdtempSync(join(tmpdir(), 'dwb-ma-'));
  const before = defaultConfig();
  before.output.formats = ['txt'];
  before.glossary = { DPR: 'House of Representatives' };
  const m1 = await openRunManifest(out, { modelKey: 'mk', info, config: before, force: false });
  writeFileSync(join(out, 'a.en.txt'), 'x\n');
  m1.record({ input: '/in/a.txt', relOut: 'a', status: 'done', outputs: [join(out, 'a.en.txt')], failures: [], segments: 1, words: 1, inputSha256: SHA, ms: 1, flags: {} });
  await m1.finish();
  const after = defaultConfig();
  after.output.formats = ['txt'];
  after.glossary = { DPR: 'House of Representatives' };
  change(after);
  const m2 = await openRunManifest(out, { modelKey: modelKeyAfter, info, config: after, force: false });
  return m2.isUpToDate('a', SHA, [join(out, 'a.en.txt')]);
}

describe('the up-to-date check', () => {
  it('keeps a file current when nothing that changes the English changed', async () => {
    expect(await currentAfter(() => {})).toBe(true);
    // Queue sizes change speed, not the English.
    expect(await currentAfter((c) => (c.queue.batch_size = 3))).toBe(true);
  });

  it.each<[string, (c: Config) => void]>([
    ['a glossary entry changed', (c) => (c.glossary = { DPR: 'the House' })],
    ['a glossary entry added', (c) => (c.glossary = { DPR: 'House of Representatives', KPK: 'KPK' })],
    ['the keep list', (c) => (c.segment.keep = ['Jokowi'])],
    ['a decoding setting', (c) => (c.decoding.repetition_penalty = 1.2)],
    ['a guard setting', (c) => (c.guards.max_repeats = 5)],
    ['guard retries turned off', (c) => (c.guards.retry = false)],
    ['the sentence length limit', (c) => (c.segment.max_tokens = 100)],
    ['q8 batch invariance', (c) => (c.engine.batch_invariant = false)],
  ])('is not current after %s', async (_, change) => {
    expect(await currentAfter(change)).toBe(false);
  });

  it('is not current with another model key', async () => {
    expect(await currentAfter(() => {}, 'other')).toBe(false);
  });
});
