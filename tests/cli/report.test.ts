import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RunReporter, formatSummary } from '../../src/cli/report.js';
import type { FileOutcome, RunSummary } from '../../src/pipeline/run.js';

function outcome(over: Partial<FileOutcome>): FileOutcome {
  return { input: '/in/a.txt', relOut: 'a', status: 'done', outputs: [], failures: [], segments: 3, words: 10, ms: 1200, flags: {}, ...over };
}

function summary(files: FileOutcome[]): RunSummary {
  return {
    files,
    queue: { segmentsTranslated: 5, segmentsFromMemory: 2, segmentsDeduplicated: 1, generatedTokens: 300, modelCalls: 2, failedSegments: 0 },
    elapsedMs: 3000,
  };
}

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      (w as unknown as { text: string }).text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('run summary', () => {
  it('counts done, unchanged and failed files, with every failure reason and the flags', () => {
    const text = formatSummary(
      summary([
        outcome({ flags: { repetition: 2 } }),
        outcome({ status: 'skipped', input: '/in/b.txt' }),
        outcome({ status: 'failed', input: '/in/c.txt', failures: ['invalid UTF-8 at byte 3 (line 1)'] }),
      ]),
      '/out',
    );
    expect(text).toContain('Files: 1 translated, 1 unchanged, 1 failed → /out');
    expect(text).toContain('/in/c.txt: invalid UTF-8 at byte 3 (line 1)');
    expect(text).toContain('Flagged segments: repetition 2');
    expect(text).toContain('100.0 tokens/s');
  });

  it('writes one line per file when not on a terminal, and a redrawn bar on one', () => {
    const plain = sink();
    const r = new RunReporter({ stream: plain, isTTY: false });
    r.onFileQueued();
    r.onFileDone(outcome({}));
    r.onFileDone(outcome({ status: 'failed', input: '/in/x.txt', failures: ['file is empty'] }));
    expect(plain.text).toBe('done /in/a.txt (3 segments, 1.2 s)\nFAILED /in/x.txt: file is empty\n');

    const tty = sink();
    let t = 0;
    const bar = new RunReporter({ stream: tty, isTTY: true, now: () => (t += 1000) });
    bar.onFileQueued();
    bar.onSegmentsQueued(10);
    bar.onFileDone(outcome({ segments: 5 }));
    expect(tty.text).toMatch(/\r.*files 1\/1 · segments 5\/10 · [\d.]+ seg\/s · ETA/);
    expect(tty.text).not.toContain('\n');
  });

  it('shows the cluster state at the end of the progress line, or as a line at most every 10 s', () => {
    const tty = Object.assign(sink(), { columns: 100 });
    let t = 0;
    const bar = new RunReporter({ stream: tty, isTTY: true, now: () => (t += 1000) });
    bar.onFileQueued();
    bar.onSegmentsQueued(400);
    bar.cluster('workers 2 · batches 3 waiting/1 in flight · 450 words/s');
    const last = tty.text.split('\r').filter(Boolean).pop()!;
    expect(last).toMatch(/^files 0\/1 · segments 0\/400 · workers 2 · batches 3 waiting\/1 in flight · 450 words\/s · ETA --:--\s*$/);

    const plain = sink();
    let now = 0;
    const log = new RunReporter({ stream: plain, isTTY: false, now: () => now });
    now = 10_000;
    log.cluster('workers 1');
    now = 15_000;
    log.cluster('workers 2');
    now = 20_000;
    log.cluster('workers 3');
    expect(plain.text).toBe('workers 1\nworkers 3\n');
  });
});
