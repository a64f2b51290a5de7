import { describe, expect, it } from 'vitest';
import { createProgress, formatBytes, formatDuration, StatusLine } from '../src/progress.js';

function sink(columns?: number) {
  const chunks: string[] = [];
  const stream = {
    columns,
    write(s: string) {
      chunks.push(s);
      return true;
    },
  } as unknown as NodeJS.WritableStream & { columns?: number };
  return { stream, text: () => chunks.join(''), chunks };
}

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});

describe('formatDuration', () => {
  it('formats durations', () => {
    expect(formatDuration(65)).toBe('01:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('--:--');
  });
});

describe('StatusLine', () => {
  it('never lets a control character from an input reach the terminal, in the line or above it', () => {
    const out = sink(200);
    const line = new StatusLine({ stream: out.stream, isTTY: true, now: () => 0, redrawMs: 0 });
    line.show('file \u001b]0;pwned\u0007.txt');
    line.log('done x\u001b[2J\ny.txt');
    // eslint-disable-next-line no-control-regex
    expect(out.text().replace(/\r/g, '').replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f]/);
    expect(out.text()).toContain('file \\x1b]0;pwned\\x07.txt');
  });

  it('redraws in place cut to the terminal width, and draws itself again under a log line', () => {
    const out = sink(12);
    let t = 0;
    const line = new StatusLine({ stream: out.stream, isTTY: true, now: () => t });
    line.show('files 1/2 segments 10/20');
    t = 50;
    line.show('not drawn yet: under 100 ms');
    line.log('warning: x');
    expect(out.text()).toBe('\rfiles 1/2 s' + '\r' + ' '.repeat(11) + '\r' + 'warning: x\n' + '\rnot drawn y');
  });

  it('draws nothing off a terminal', () => {
    const out = sink();
    const line = new StatusLine({ stream: out.stream, isTTY: false });
    line.show('files 1/2');
    line.log('warning: x');
    expect(out.text()).toBe('warning: x\n');
  });
});

describe('createProgress', () => {
  it('redraws one line with \\r on a TTY, with percent, sizes and rate', () => {
    let t = 0;
    const out = sink(120);
    const p = createProgress({ stream: out.stream, isTTY: true, now: () => t });
    p.update({ label: 'enc.onnx', current: 0, total: 4 * 1024 * 1024 });
    t = 1000;
    p.update({ label: 'enc.onnx', current: 2 * 1024 * 1024, total: 4 * 1024 * 1024 });
    p.done('done');
    const text = out.text();
    expect(text.startsWith('\r')).toBe(true);
    expect(text).toContain('[##########----------] 50% 2.0 MiB/4.0 MiB 2.0 MiB/s');
    expect(text.endsWith('done\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });

  it('throttles redraws on a TTY', () => {
    let t = 0;
    const out = sink();
    const p = createProgress({ stream: out.stream, isTTY: true, now: () => t, redrawMs: 100 });
    for (let i = 0; i < 50; i++) {
      t += 1;
      p.update({ label: 'f', current: i, total: 100 });
    }
    expect(out.chunks.length).toBe(1);
  });

  it('writes plain lines without \\r when not a TTY', () => {
    let t = 0;
    const out = sink();
    const p = createProgress({ stream: out.stream, isTTY: false, now: () => t });
    for (let i = 0; i <= 100; i += 5) {
      t += 10;
      p.update({ label: 'file.bin', current: i, total: 100, unit: 'items' });
    }
    p.done('ok');
    p.log('next');
    const lines = out.text().trimEnd().split('\n');
    expect(out.text()).not.toContain('\r');
    expect(lines[0]).toBe('file.bin: started');
    expect(lines.filter((l) => /^file\.bin \d+%/.test(l)).map((l) => l.split(' ')[1])).toEqual([
      '25%',
      '50%',
      '75%',
      '100%',
    ]);
    expect(lines.at(-2)).toMatch(/ ok$/);
    expect(lines.at(-1)).toBe('next');
  });

  it('cuts the TTY line to the terminal width', () => {
    const out = sink(30);
    const p = createProgress({ stream: out.stream, isTTY: true, now: () => 0 });
    p.update({ label: 'x'.repeat(100), current: 1, total: 2 });
    expect(out.chunks[0]!.length).toBeLessThanOrEqual(30);
  });
});
