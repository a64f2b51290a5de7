/**
 * Reads config.yaml, checks every key against the schema and fills in defaults.
 * A wrong key or value stops the run before any work, naming the file, line, key, value and what is allowed.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { ConfigError } from '../errors.js';
import { SCHEMA, isLeaf, type Config, type Schema } from './schema.js';
import { TermCollector, readGlossaryFile, termsOfYamlMap } from './glossary-file.js';

type Leaf = Extract<Schema[string], { kind: string }>;

export interface LoadedConfig {
  readonly config: Config;
  /** The file read, or undefined when only defaults are used. */
  readonly file: string | undefined;
  /** Folder that relative paths in the file are resolved against. */
  readonly baseDir: string;
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
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      throw new ConfigError(`${path}: invalid YAML: ${e.message.split('\n')[0]}`, path, undefined);
    }
    root = doc.contents as YamlNode | null;
  }
  const ctx: Ctx = { file: path, lines };
  const config = fill(SCHEMA, root ?? undefined, ctx, '') as unknown as Config;
  for (const [key, raw] of Object.entries(overrides)) applyOverride(config, key, raw);
  const baseDir = path === undefined ? process.cwd() : dirname(path);
  if (config.glossary_file !== '') {
    // The file's terms first; an entry of the inline `glossary:` overrides the same term there.
    config.glossary = Object.assign(readGlossaryFile(resolve(baseDir, config.glossary_file)), config.glossary);
  }
  return { config, file: path, baseDir };
}

interface Ctx {
  readonly file: string | undefined;
  readonly lines: LineCounter;
}

function where(ctx: Ctx | undefined, node: YamlNode | undefined): string {
  if (ctx?.file === undefined) return 'command line';
  const offset = node?.range?.[0];
  if (offset === undefined) return ctx.file;
  const { line } = ctx.lines.linePos(offset);
  return `${ctx.file}:${line}`;
}

function fail(ctx: Ctx | undefined, node: YamlNode | undefined, key: string, message: string): never {
  throw new ConfigError(`${where(ctx, node)}: ${key}: ${message}`, ctx?.file, key);
}

function fill(schema: Schema, node: YamlNode | undefined, ctx: Ctx | undefined, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const given = new Map<string, YamlNode | undefined>();
  if (node !== undefined && node !== null) {
    if (!isMap(node)) {
      const scalarNull = isScalar(node) && node.value === null;
      if (!scalarNull) fail(ctx, node, prefix || '(top level)', 'expected a mapping of keys');
    } else {
      const seen = new Map<string, YamlNode>();
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode;
        const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const first = seen.get(name);
        if (first !== undefined) fail(ctx, keyNode, prefix + name, `duplicate key (first given at ${where(ctx, first)})`);
        seen.set(name, keyNode);
        if (!(name in schema)) {
          const full = prefix + name;
          const known = Object.keys(schema).map((k) => prefix + k).join(', ');
          fail(ctx, keyNode, full, `unknown key; known keys here: ${known}`);
        }
        given.set(name, (pair.value ?? undefined) as YamlNode | undefined);
      }
    }
  }
  for (const [name, sub] of Object.entries(schema)) {
    const key = prefix + name;
    const valueNode = given.get(name);
    if (isLeaf(sub)) {
      out[name] = valueNode === undefined || (isScalar(valueNode) && valueNode.value === null)
        ? structuredClone(sub.default)
        : leafValue(sub, valueNode, ctx, key);
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

function checkScalar(leaf: Leaf, value: unknown, ctx: Ctx | undefined, node: YamlNode | undefined, key: string): unknown {
  switch (leaf.kind) {
    case 'string': {
      if (typeof value !== 'string') fail(ctx, node, key, `expected a string, got ${JSON.stringify(value)}`);
      if (leaf.allowed && !leaf.allowed.includes(value)) {
        fail(ctx, node, key, `${JSON.stringify(value)} is not allowed; use one of: ${leaf.allowed.join(', ')}`);
      }
      return value;
    }
    case 'int':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value) || (leaf.kind === 'int' && !Number.isInteger(value))) {
        fail(ctx, node, key, `expected ${leaf.kind === 'int' ? 'a whole number' : 'a number'} from ${leaf.min} to ${leaf.max}, got ${JSON.stringify(value)}`);
      }
      if (value < leaf.min || value > leaf.max) {
        fail(ctx, node, key, `${value} is out of range; use a value from ${leaf.min} to ${leaf.max}`);
      }
      return value;
    }
    case 'boolean': {
      if (typeof value !== 'boolean') fail(ctx, node, key, `expected true or false, got ${JSON.stringify(value)}`);
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

/** Apply one command-line override ("queue.batch_size" = "8"), checked like a file value. */
export function applyOverride(config: Config, key: string, raw: string): void {
  const parts = key.split('.');
  let schema: Schema = SCHEMA;
  let target = config as unknown as Record<string, unknown>;
  for (let i = 0; i < parts.length - 1; i++) {
    const sub = schema[parts[i]!];
    if (sub === undefined || isLeaf(sub)) throw new ConfigError(`command line: unknown setting ${key}`, undefined, key);
    schema = sub;
    target = target[parts[i]!] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  const leaf = schema[last];
  if (leaf === undefined || !isLeaf(leaf)) throw new ConfigError(`command line: unknown setting ${key}`, undefined, key);
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
      value = checkList(leaf, raw.split(',').map((s) => s.trim()).filter((s) => s !== ''), undefined, undefined, key);
      target[last] = value;
      return;
    case 'string-map':
      throw new ConfigError(`command line: ${key} can only be set in the config file`, undefined, key);
    default:
      value = raw;
  }
  target[last] = checkScalar(leaf, value, undefined, undefined, key);
}
