/** Runs crafted web pages through the pipeline with a fake engine (words reversed unless told), for the HTML tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/load.js';
import { runPipeline, type RunSummary } from '../../src/pipeline/run.js';
import { FakeEngine } from '../helpers/fake-engine.js';

export async function translatePages(pages: Record<string, string | Buffer>, over: { extract?: 'article' | 'all'; inputs?: (dir: string) => string[]; translate?: (text: string) => string } = {}): Promise<{ input: string; out: string; summary: RunSummary; engine: FakeEngine }> {
  const input = mkdtempSync(join(tmpdir(), 'dwb-html-in-'));
  const out = mkdtempSync(join(tmpdir(), 'dwb-html-out-'));
  for (const [name, content] of Object.entries(pages)) writeFileSync(join(input, name), content);
  const config = defaultConfig();
  config.guards.enabled = false;
  if (over.extract) config.input.html.extract = over.extract;
  const engine = new FakeEngine(over.translate ? { translate: over.translate } : {});
  const summary = await runPipeline({ inputs: over.inputs?.(input) ?? [input], outDir: out, config, engine, formats: ['md', 'html', 'json', 'txt', 'tmx'] });
  return { input, out, summary, engine };
}

/** Start and end tags of a page in source order, as "<p", "</p", with a tokenizer-level regex. */
export function tagSequence(html: string): string[] {
  const withoutRaw = html.replace(/<!--[\s\S]*?-->/g, '');
  return [...withoutRaw.matchAll(/<(\/?[A-Za-z][A-Za-z0-9-]*)/g)].map((m) => `<${m[1]!.toLowerCase()}`);
}

/** A model that keeps every tag placeholder where it was: the words upper-cased. */
export const upperCase = (text: string): string => text.replace(/[^<>]+(?=<|$)/g, (t) => t.toUpperCase());
