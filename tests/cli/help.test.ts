/** Every command and subcommand answers --help and -h with its own options, as a new user tries them. */
import { describe, expect, it } from 'vitest';
import { isGroup } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { runCli } from './cli-helpers.js';

/** Every runnable command path ("translate", "model fetch"…), from the same table the CLI uses. */
const PATHS = COMMANDS.flatMap((c) => (isGroup(c) ? c.subcommands.map((s) => ({ path: [c.name, s.name], spec: s })) : [{ path: [c.name], spec: c }]));

describe('help', () => {
  it.each(PATHS.map((p) => [p.path.join(' '), p] as const))('dwibahasa %s --help and -h: its options and defaults on stdout, exit 0', async (_name, { path, spec }) => {
    for (const flag of ['--help', '-h']) {
      const r = await runCli([...path, flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`Usage: dwibahasa ${path.join(' ')}`);
      for (const o of spec.options.filter((x) => !x.hidden)) {
        expect(r.stdout).toContain(`--${o.name}`);
        if (o.short) expect(r.stdout).toContain(`-${o.short}, --${o.name}`);
        if (o.default) expect(r.stdout).toContain(`(default: ${o.default})`);
      }
    }
  });

  it('--help anywhere among other arguments still shows the help (and does nothing else)', async () => {
    const r = await runCli(['translate', 'nothere', '--out', '/nonexistent/out', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: dwibahasa translate');
  });

  it('lists the short flags -o -c -m -f of translate', async () => {
    const r = await runCli(['translate', '-h']);
    for (const f of ['-o, --out', '-c, --config', '-m, --model', '-f, --formats']) expect(r.stdout).toContain(f);
  });

  it('dwibahasa --help, -h and help list every command; help COMMAND shows its help', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      for (const p of PATHS) expect(r.stdout).toContain(p.path.join(' '));
      expect(r.stdout).toContain('Exit codes');
    }
    const r = await runCli(['help', 'translate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: dwibahasa translate');
  });

  it('model --help lists its subcommands, exit 0; bare "model" and bare "dwibahasa" print help to stderr only, exit 2', async () => {
    const sub = await runCli(['model', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/fetch\s+download/);
    expect(sub.stdout).toMatch(/info\s+the models folder/);
    for (const args of [[], ['model']]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/Usage:\s+dwibahasa/);
    }
  });

  it('an unknown command or option is named in closed quotes, with the nearest and where help is', async () => {
    const cmd = await runCli(['translat']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain('unknown command "translat"; did you mean "translate"?');
    const opt = await runCli(['translate', 'x', '--frce']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toBe('dwibahasa: translate: unknown option "--frce". Did you mean --force? See: dwibahasa translate --help\n');
  });
});
