/** `dwibahasa memory clear-human` and `dwibahasa serve` argument errors, through the built CLI. */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TranslationMemory } from '../../src/memory/memory.js';
import { runCli } from './cli-helpers.js';

function folderWithHuman(n: number): { out: string; file: string } {
  const out = mkdtempSync(join(tmpdir(), 'dwb-clear-'));
  mkdirSync(join(out, '.dwibahasa'));
  const file = join(out, '.dwibahasa', 'memory.sqlite');
  const m = TranslationMemory.open(file);
  for (let i = 0; i < n; i++) m.putHuman(`Kalimat ${i}.`, `Sentence ${i}.`);
  m.putMany('model', [{ source: 'Halo.', target: 'Hello.' }]);
  m.close();
  return { out, file };
}

function count(file: string): { human: number; entries: number } {
  const m = TranslationMemory.open(file);
  try {
    return { human: m.humanCount(), entries: m.stats().entries };
  } finally {
    m.close();
  }
}

describe('dwibahasa memory clear-human', () => {
  it('without --yes and no terminal to ask on: refuses, exit 2, nothing removed', async () => {
    const { out, file } = folderWithHuman(3);
    const r = await runCli(['memory', 'clear-human', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/removes 3 human translations from .*memory\.sqlite; add --yes/);
    expect(count(file)).toEqual({ human: 3, entries: 1 });
  });

  it('with --yes: removes the human translations only', async () => {
    const { out, file } = folderWithHuman(2);
    const r = await runCli(['memory', 'clear-human', out, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Removed 2 human translations/);
    expect(count(file)).toEqual({ human: 0, entries: 1 });
  });

  it('names the missing memory file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dwb-clear-none-'));
    const r = await runCli(['memory', 'clear-human', out, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(out, '.dwibahasa', 'memory.sqlite'));
  });
});

describe('dwibahasa serve arguments', () => {
  it('refuses a missing folder, a bad port and a host name that is not an address', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dwb-serve-args-'));
    const missing = await runCli(['serve', join(out, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope is not a folder/);
    const port = await runCli(['serve', out, '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port must be a whole number from 0 to 65535/);
    const host = await runCli(['serve', out, '--host', 'evil.example']);
    expect(host.code).toBe(2);
    expect(host.stderr).toMatch(/--host must be an IP address/);
  });
});
