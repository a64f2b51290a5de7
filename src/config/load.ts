/**
 * Reads config.yaml, checks every key against the schema and fills in defaults.
 * A wrong key or value stops the run before any work, naming the file, line, key, value and what is allowed.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { ConfigError } from '../errors.js';
import { nearest } from '../suggest.js';
import { SCHEMA, isLeaf, type Config, type Schema } from './schema.js';
import { TermCollector, readGlossaryFile, termsOfYamlMap } from './glossary-file.js';

type Leaf = Extract<Schema[string], { kind: string }>;

export interface LoadedConfig {
  readonly config: Config;
  /** The file read, or undefined when only defaults are used. */
  readonly file: string | undefined;
  /** Folder that relative paths in the file are resolved against. */
  readonly baseDir: string;
  /** Dotted keys the file or the overrides set (the rest are defaults), e.g. "model.dir". */
  readonly given: ReadonlySet<string>;
}

/** Every leaf key of the schema, dotted: "model.id", "queue.batch_size"… */
export function settingKeys(schema: Schema = SCHEMA, prefix = ''): string[] {
  return Object.entries(schema).flatMap(([k, v]) => (isLeaf(v) ? [prefix + k + (v.kind === 'string-map' ? '.TERM' : '')] : settingKeys(v, `${prefix}${k}.`)));
}

/** Thrown inside the loader for one problem; collected, so every problem is reported at once. */
class Problem extends Error {
  constructor(
    readonly key: string,
    message: string,
    /** The problem alone, without where and which key: "expected a whole number from 1 to 256, got "x"". */
    readonly bare = message,
  ) {
    super(message);
  }
}

/** The defaults, as a fresh object. */
export function defaultConfig(): Config {
  return fill(SCHEMA, undefined, undefined, '') as unknown as Config;
}

/**
 * Load a config file. `file` undefined: use `./config.yaml` when it exists, else defaults.
 * `overrides` are dotted keys from the command line (e.g. "queue.batch_size") with raw string values.
 */
export function loadConfig(file: string | undefined, overrides: Readonly<Record<string, string>> = {}): LoadedConfig {
  let path = file === undefined ? undefined : resolve(file);
  let text: string | undefined;
  if (path === undefined) {
    const candidate = resolve('config.yaml');
    try {
      text = readFileSync(candidate, 'utf8');
      path = candidate;
    } catch {
      text = undefined;
    }
  } else {
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`, path, undefined);
    }
  }

  let root: YamlNode | null = null;
  const lines = new LineCounter();
  if (text !== undefined) {
    // The parser's own duplicate-key check compares every key with every other (a glossary of 65,000
    // terms took 24 s); fill() checks duplicates itself with a Set, naming both lines.
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: true });
    if (doc.errors.length > 0) {
      // yaml's messages end with a code frame (the line and a caret under the column): keep it.
      const all = doc.errors.map((e) => e.message.trimEnd()).join('\n\n');
      throw new ConfigError(`${path}: invalid YAML${doc.errors.length > 1 ? ` (${doc.errors.length} problems)` : ''}: ${all}`, path, undefined);
    }
    root = doc.contents as YamlNode | null;
  }
  const ctx: Ctx = { file: path, lines, problems: [], given: new Set() };
  const config = fill(SCHEMA, root ?? undefined, ctx, '') as unknown as Config;
  for (const [key, raw] of Object.entries(overrides)) {
    try {
      applyOverride(config, key, raw);
      ctx.given.add(key.startsWith('glossary.') ? 'glossary' : key);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      ctx.problems.push(new Problem(err.key ?? key, err.message));
    }
  }
  const baseDir = path === undefined ? process.cwd() : dirname(path);
  if (config.glossary_file !== '') {
    // The file's terms first; an entry of the inline `glossary:` (or --set glossary.TERM) overrides the same term there.
    try {
      config.glossary = Object.assign(readGlossaryFile(resolve(baseDir, config.glossary_file)), config.glossary);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      ctx.problems.push(new Problem(err.key ?? 'glossary_file', err.message));
    }
  }
  crossChecks(config, ctx, overrides);
  if (ctx.problems.length === 1) throw new ConfigError(ctx.problems[0]!.message, path, ctx.problems[0]!.key);
  if (ctx.problems.length > 1) {
    throw new ConfigError(
      `${ctx.problems.length} configuration problems:\n${ctx.problems.map((p) => `  ${p.message}`).join('\n')}`,
      path,
      ctx.problems[0]!.key,
    );
  }
  return { config, file: path, baseDir, given: ctx.given };
}

/** Rules between keys, which no single key's range can say. */
function crossChecks(config: Config, ctx: Ctx, overrides: Readonly<Record<string, string>>): void {
  const g = config.guards;
  if (g.min_length_ratio > g.max_length_ratio) {
    const fromLine = 'guards.min_length_ratio' in overrides || 'guards.max_length_ratio' in overrides;
    ctx.problems.push(
      new Problem(
        'guards.min_length_ratio',
        `${fromLine || ctx.file === undefined ? 'command line' : ctx.file}: guards.min_length_ratio (${g.min_length_ratio}) is above guards.max_length_ratio (${g.max_length_ratio}); ` +
          'every sentence would be flagged: make min_length_ratio the smaller',
      ),
    );
  }
}

interface Ctx {
  readonly file: string | undefined;
  readonly lines: LineCounter;
  readonly problems: Problem[];
  readonly given: Set<string>;
}

function where(ctx: Ctx | undefined, node: YamlNode | undefined): string {
  if (ctx?.file === undefined) return 'command line';
  const offset = node?.range?.[0];
  if (offset === undefined) return ctx.file;
  const { line } = ctx.lines.linePos(offset);
  return `${ctx.file}:${line}`;
}

function fail(ctx: Ctx | undefined, node: YamlNode | undefined, key: string, message: string): never {
  throw new Problem(key, `${where(ctx, node)}: ${key}: ${message}`, message);
}

/** Runs `f`; a Problem it throws is recorded (the caller goes on with the default). */
function collect<T>(ctx: Ctx | undefined, f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    if (!(err instanceof Problem) || ctx === undefined) throw err;
    ctx.problems.push(err);
    return undefined;
  }
}

function fill(schema: Schema, node: YamlNode | undefined, ctx: Ctx | undefined, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const given = new Map<string, YamlNode | undefined>();
  if (node !== undefined && node !== null) {
    if (!isMap(node)) {
      const scalarNull = isScalar(node) && node.value === null;
      if (!scalarNull) collect(ctx, () => fail(ctx, node, prefix.replace(/\.$/, '') || '(top level)', 'expected a mapping of keys'));
    } else {
      const seen = new Map<string, YamlNode>();
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode;
        const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const first = seen.get(name);
        if (first !== undefined) collect(ctx, () => fail(ctx, keyNode, prefix + name, `duplicate key (first given at ${where(ctx, first)})`));
        seen.set(name, keyNode);
        if (!(name in schema)) {
          const full = prefix + name;
          const guess = nearest(name, Object.keys(schema));
          const known = Object.keys(schema).map((k) => prefix + k).join(', ');
          collect(ctx, () => fail(ctx, keyNode, full, `unknown key; ${guess ? `did you mean ${prefix + guess}? ` : ''}known keys here: ${known}`));
          continue;
        }
        given.set(name, (pair.value ?? undefined) as YamlNode | undefined);
      }
    }
  }
  for (const [name, sub] of Object.entries(schema)) {
    const key = prefix + name;
    const valueNode = given.get(name);
    if (isLeaf(sub)) {
      const isDefault = valueNode === undefined || (isScalar(valueNode) && valueNode.value === null);
      if (!isDefault) ctx?.given.add(key);
      out[name] = isDefault ? structuredClone(sub.default) : (collect(ctx, () => leafValue(sub, valueNode, ctx, key)) ?? structuredClone(sub.default));
    } else {
      out[name] = fill(sub, valueNode, ctx, key + '.');
    }
  }
  return out;
}

function leafValue(leaf: Leaf, node: YamlNode, ctx: Ctx | undefined, key: string): unknown {
  switch (leaf.kind) {
    case 'string-list': {
      if (!isSeq(node)) fail(ctx, node, key, `expected a list of strings, got ${describe(node)}`);
      const items = node.items.map((item) => {
        const n = item as YamlNode;
        if (!isScalar(n) || typeof n.value !== 'string') fail(ctx, n, key, `expected a string, got ${describe(n)}`);
        return n.value;
      });
      return checkList(leaf, items, ctx, node, key);
    }
    case 'string-map': {
      if (!isMap(node)) fail(ctx, node, key, `expected a mapping of term: translation, got ${describe(node)}`);
      const collector = new TermCollector(ctx?.file, key);
      termsOfYamlMap(node, ctx?.lines, collector);
      return collector.terms;
    }
    default: {
      if (!isScalar(node)) fail(ctx, node, key, `expected a single value, got ${describe(node)}`);
      return checkScalar(leaf, node.value, ctx, node, key);
    }
  }
}

/** `shown`: the value as the user typed it (command line), for the message; default its JSON. */
function checkScalar(leaf: Leaf, value: unknown, ctx: Ctx | undefined, node: YamlNode | undefined, key: string, shown = JSON.stringify(value)): unknown {
  switch (leaf.kind) {
    case 'string': {
      if (typeof value !== 'string') fail(ctx, node, key, `expected a string, got ${shown}`);
      if (leaf.allowed && !leaf.allowed.includes(value)) {
        fail(ctx, node, key, `${shown} is not allowed; use one of: ${leaf.allowed.join(', ')}`);
      }
      return value;
    }
    case 'int':
    case 'number': {
      const what = `${leaf.kind === 'int' ? 'a whole number' : 'a number'} from ${leaf.min} to ${leaf.max}`;
      if (typeof value !== 'number' || !Number.isFinite(value) || (leaf.kind === 'int' && !Number.isInteger(value))) {
        fail(ctx, node, key, `expected ${what}, got ${shown}`);
      }
      if (value < leaf.min || value > leaf.max) fail(ctx, node, key, `expected ${what}, got ${shown} (out of range)`);
      return value;
    }
    case 'boolean': {
      if (typeof value !== 'boolean') fail(ctx, node, key, `expected true or false, got ${shown}`);
      return value;
    }
    default:
      return fail(ctx, node, key, 'internal: not a scalar key');
  }
}

function checkList(leaf: Leaf & { kind: 'string-list' }, items: string[], ctx: Ctx | undefined, node: YamlNode | undefined, key: string): string[] {
  if (leaf.nonEmpty && items.length === 0) fail(ctx, node, key, 'must not be empty');
  if (leaf.allowed) {
    for (const item of items) {
      if (!leaf.allowed.includes(item)) {
        fail(ctx, node, key, `${JSON.stringify(item)} is not allowed; use any of: ${leaf.allowed.join(', ')}`);
      }
    }
  }
  return items;
}

function describe(node: YamlNode): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return JSON.stringify(node.value);
  return 'an unsupported value';
}

/**
 * Apply one command-line override ("queue.batch_size" = "8"), checked like a file value.
 * "glossary.TERM" = "English" adds one glossary entry.
 */
export function applyOverride(config: Config, key: string, raw: string): void {
  try {
    override(config, key, raw);
  } catch (err) {
    if (err instanceof Problem) throw new ConfigError(`command line: ${key}: ${err.bare}`, undefined, err.key);
    throw err;
  }
}

/**
 * What is wrong with setting `key` to `raw` (as typed on the command line), or undefined when
 * nothing is: "expected a whole number from 0 to 16, got "abc"". For flags, which name themselves.
 */
export function settingProblem(key: string, raw: string): string | undefined {
  try {
    override(defaultConfig(), key, raw);
    return undefined;
  } catch (err) {
    if (err instanceof Problem) return err.bare;
    throw err;
  }
}

function unknownSetting(key: string): Problem {
  const all = settingKeys();
  const guess = nearest(key, all);
  const section = key.split('.')[0]!;
  const inSection = all.filter((k) => k.startsWith(`${section}.`));
  const listed = inSection.length > 0 ? `keys under ${section}: ${inSection.join(', ')}` : `known keys: ${all.join(', ')}`;
  return new Problem(key, `unknown setting ${key}`, `unknown setting; ${guess ? `did you mean ${guess}? ` : ''}${listed}`);
}

function override(config: Config, key: string, raw: string): void {
  if (key.startsWith('glossary.')) {
    // The term may hold dots itself ("glossary.U.S.=United States"): everything after the first.
    const term = key.slice('glossary.'.length);
    if (term.trim() === '' || raw === '') throw new Problem('glossary', 'glossary', 'expected --set glossary.TERM=English text, with a term and a text');
    config.glossary[term] = raw;
    return;
  }
  const parts = key.split('.');
  let schema: Schema = SCHEMA;
  let target = config as unknown as Record<string, unknown>;
  for (let i = 0; i < parts.length - 1; i++) {
    const sub = schema[parts[i]!];
    if (sub === undefined || isLeaf(sub)) throw unknownSetting(key);
    schema = sub;
    target = target[parts[i]!] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  const leaf = schema[last];
  if (leaf === undefined || !isLeaf(leaf)) throw unknownSetting(key);
  const shown = JSON.stringify(raw);
  let value: unknown;
  switch (leaf.kind) {
    case 'int':
    case 'number':
      value = raw.trim() === '' ? Number.NaN : Number(raw);
      break;
    case 'boolean':
      value = raw === 'true' ? true : raw === 'false' ? false : raw;
      break;
    case 'string-list':
      target[last] = checkList(leaf, raw.split(',').map((s) => s.trim()).filter((s) => s !== ''), undefined, undefined, key);
      return;
    case 'string-map':
      throw new Problem(key, key, `set one entry at a time: --set ${key}.TERM=English`);
    default:
      value = raw;
  }
  target[last] = checkScalar(leaf, value, undefined, undefined, key, shown);
}
