import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatOptions, parseOptions, wantsHelp, type OptionSpec } from '../../src/cli/options.js';

const SPECS: OptionSpec[] = [
  { name: 'out', short: 'o', kind: 'string', value: 'DIR', help: 'output folder' },
  { name: 'batch-size', kind: 'string', value: 'N', default: '16', help: 'most segments per call' },
  { name: 'force', kind: 'boolean', help: 'redo every file' },
  { name: 'set', kind: 'string', multiple: true, value: 'KEY=VALUE', help: 'any key' },
  { name: 'secret', kind: 'string', hidden: true, help: 'not listed' },
];

function usageError(f: () => unknown): UsageError {
  try {
    f();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('expected a UsageError');
}

describe('parseOptions', () => {
  it('takes long and short flags, = values, repeated options and positionals', () => {
    const r = parseOptions(['a', '-o', 'out', '--batch-size=8', '--force', '--set', 'x=1', '--set', 'y=2', 'b'], SPECS, 'translate');
    expect(r.values).toEqual({ out: 'out', 'batch-size': '8', force: true, set: ['x=1', 'y=2'] });
    expect(r.positionals).toEqual(['a', 'b']);
    expect(parseOptions(['-oout'], SPECS, 'translate').values['out']).toBe('out');
  });

  it('takes a value that starts with "-" (a negative number is checked later, not "ambiguous")', () => {
    expect(parseOptions(['--batch-size', '-3'], SPECS, 'translate').values['batch-size']).toBe('-3');
  });

  it('treats everything after -- as positionals', () => {
    expect(parseOptions(['--', '--force', '-x'], SPECS, 'translate').positionals).toEqual(['--force', '-x']);
  });

  it('names an unknown option with closed quotes and suggests the nearest one', () => {
    const err = usageError(() => parseOptions(['--frce'], SPECS, 'translate'));
    expect(err.message).toBe('translate: unknown option "--frce". Did you mean --force? See: dwibahasa translate --help');
  });

  it('says which option lacks its value, and which takes none', () => {
    expect(usageError(() => parseOptions(['--out'], SPECS, 'translate')).message).toContain('--out needs a value (--out DIR)');
    expect(usageError(() => parseOptions(['--force=yes'], SPECS, 'translate')).message).toContain('--force takes no value, got "yes"');
  });
});

describe('help', () => {
  it('lists every visible option with its short flag, value and default, and -h', () => {
    const text = formatOptions(SPECS);
    expect(text).toMatch(/-o, --out DIR\s+output folder/);
    expect(text).toMatch(/--batch-size N\s+most segments per call \(default: 16\)/);
    expect(text).toMatch(/-h, --help\s+show this help/);
    expect(text).not.toContain('secret');
  });

  it('sees --help and -h before a --, and not after', () => {
    expect(wantsHelp(['x', '-h'])).toBe(true);
    expect(wantsHelp(['--out', 'o', '--help'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
  });
});
