import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RunReporter, formatSummary, plural } from '../../src/cli/report.js';
import type { FileOutcome, RunSummary } from '../../src/pipeline/run.js';

function outcome(over: Partial<FileOutcome>): FileOutcome {
  return { input: '/in/a.txt', relOut: 'a', status: 'done', outputs: [], failures: [], segments: 3, words: 10, ms: 1200, flags: {}, ...over };
}

const NO_WORK = { segmentsTranslated: 0, segmentsFromMemory: 0, segmentsDeduplicated: 0, generatedTokens: 0, modelCalls: 0, failedSegments: 0 };

function summary(files: FileOutcome[], over: Partial<RunSummary> = {}): RunSummary {
  const segments = { segmentsTranslated: 4, segmentsFromMemory: 2, segmentsDeduplicated: 1, generatedTokens: 200, modelCalls: 1, failedSegments: 0 };
  const retries = { ...NO_WORK, segmentsTranslated: 1, generatedTokens: 100, modelCalls: 1 };
  return { files, queue: { ...segments, segmentsTranslated: 5, generatedTokens: 300, modelCalls: 2 }, segments, retries, elapsedMs: 3000, ...over };
}

function sink(): Writable & { text: string; columns: number } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      (w as unknown as { text: string }).text += String(chunk);
      cb();
    },
  }) as Writable & { text: string; columns: number };
  w.text = '';
  w.columns = 200;
  return w;
}

const counts = { filesFound: undefined, filesStarted: 0, filesFinished: 0, filesPlanned: 0, segmentsQueued: 0, segmentsFinished: 0 };

describe('run summary', () => {
  it('adds up: the segments sent equal model + memory + repeats + failed, with the numbers shown', () => {
    // 4 + 3 segments in the two translated files = 4 by the model + 2 from memory + 1 repeat.
    const text = formatSummary(summary([outcome({ segments: 4 }), outcome({ input: '/in/b.txt', segments: 3 }), outcome({ status: 'skipped', input: '/in/c.txt', segments: 0 })]), '/out');
    expect(text).toContain('Files: 2 translated, 1 unchanged, 0 failed (3 in all) → /out');
    expect(text).toContain('Segments: 7 segments sent for translation = 4 by the model + 2 from the translation memory + 1 repeated in this run + 0 failed (1 unchanged file not sent again)');
    expect(text).toContain('Model: 1 call, 200 tokens generated; quality-guard retries: 1 segment in 1 call, 100 tokens (100.0 tokens/s in all)');
  });

  it('says "1 segment", not "1 segments"', () => {
    expect(plural(1, 'segment')).toBe('1 segment');
    expect(plural(0, 'segment')).toBe('0 segments');
    expect(plural(12_345, 'call')).toBe('12,345 calls');
  });

  it('explains every flag it counts', () => {
    const text = formatSummary(summary([outcome({ flags: { 'lost-span': 2, 'too-short': 1 } })]), '/out');
    expect(text).toContain('Flagged: 3 flags on sentences to check');
    expect(text).toMatch(/lost-span 2: .*missing from the English/);
    expect(text).toMatch(/too-short 1: .*shorter than the Indonesian/);
  });

  it('prints a failed file\'s path once, even when its reason starts with the path', () => {
    const text = formatSummary(summary([outcome({ status: 'failed', input: '/in/c.txt', failures: ['/in/c.txt: file is empty'] })]), '/out');
    expect(text).toContain('  /in/c.txt: file is empty');
    expect(text.split('/in/c.txt').length - 1).toBe(1);
  });

  it('after Ctrl-C says what was kept and that a rerun resumes', () => {
    const text = formatSummary({ ...summary([outcome({})]), aborted: true, memoryPath: '/out/.dwibahasa/memory.sqlite' }, '/out');
    expect(text).toContain('Stopped early (Ctrl-C): 1 file written;');
    expect(text).toContain('kept in the translation memory (/out/.dwibahasa/memory.sqlite)');
    expect(text).toContain('Run the same command again to resume');
  });

  it('shows file names and quoted sentences with their control characters escaped', () => {
    const text = formatSummary(
      summary([outcome({ status: 'failed', input: '/in/x\u001b[2J\ny.txt', failures: ['block 1: "Judul \u001b]0;pwned\u0007": translation failed'] })]),
      '/out',
    );
    expect(text).toContain('/in/x\\x1b[2J\\ny.txt: block 1: "Judul \\x1b]0;pwned\\x07": translation failed');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});

describe('RunReporter', () => {
  it('writes one line per file off a terminal, the failure path once', () => {
    const plain = sink();
    const r = new RunReporter({ stream: plain, isTTY: false });
    r.onFileDone(outcome({ segments: 1 }));
    r.onFileDone(outcome({ status: 'failed', input: '/in/x.txt', failures: ['/in/x.txt: file is empty'] }));
    r.onFileDone(outcome({ status: 'skipped', input: '/in/y.txt' }));
    r.finish();
    expect(plain.text).toBe('done /in/a.txt (1 segment, 1.2 s)\nFAILED /in/x.txt: file is empty\nunchanged /in/y.txt\n');
  });

  it('on a terminal redraws one line: segments as batches return, elapsed time, "counting files…" until the total is known', () => {
    const tty = sink();
    let t = 0;
    const r = new RunReporter({ stream: tty, isTTY: true, now: () => t, tickMs: 0 });
    t = 1000;
    r.onProgress({ ...counts, filesStarted: 2, filesPlanned: 2, segmentsQueued: 10, segmentsFinished: 4 });
    expect(r.text()).toMatch(/files 0\/2\+ \(counting files…\) · segments 4\/10 · [\d.]+ seg\/s · 00:01 elapsed · ETA --:--/);
    t = 5000;
    r.onProgress({ ...counts, filesFound: 4, filesStarted: 2, filesPlanned: 2, segmentsQueued: 10, segmentsFinished: 8 });
    // 4 files at 5 segments each = 20 segments, 12 left. Rate: 4/s over the first second, then
    // 1/s for 4 s, smoothed over 15 s: 4 + (1 - e^(-4/15)) × (1 - 4) = 3.30/s; 12 / 3.30 = 3.6 s.
    expect(r.text()).toMatch(/files 0\/4 · segments 8\/10 · 3\.3 seg\/s · 00:05 elapsed · ETA 00:04/);
    expect(tty.text).toContain('\r');
    expect(tty.text).not.toContain('\n');
    r.finish();
  });

  it('Ctrl-C ends the progress line before its message, and the line is not drawn again', () => {
    const tty = sink();
    let t = 0;
    const r = new RunReporter({ stream: tty, isTTY: true, now: () => (t += 1000), tickMs: 0 });
    r.onProgress({ ...counts, filesFound: 3, filesStarted: 1, filesPlanned: 1, segmentsQueued: 5, segmentsFinished: 1 });
    r.interrupt('Stopping: finishing the files in flight');
    const after = tty.text.length;
    expect(tty.text).toMatch(/files 0\/3[^\n]*\r +\rStopping: finishing the files in flight\n$/);
    r.finish();
    expect(tty.text.length).toBe(after);
  });

  it('prints nothing but warnings when quiet, and a line per file on a terminal when verbose', () => {
    const quiet = sink();
    const q = new RunReporter({ stream: quiet, isTTY: true, verbosity: 'quiet', tickMs: 0 });
    q.onProgress({ ...counts, segmentsQueued: 3 });
    q.onFileDone(outcome({}));
    q.log('preparing the model');
    q.warn('manifest moved aside');
    q.finish();
    expect(quiet.text).toBe('warning: manifest moved aside\n');

    const loud = sink();
    const v = new RunReporter({ stream: loud, isTTY: true, verbosity: 'verbose', tickMs: 0 });
    v.onFileDone(outcome({}));
    v.finish();
    expect(loud.text).toContain('done /in/a.txt (3 segments, 1.2 s)\n');
  });

  it('shows the cluster state at the end of the progress line, or as a line at most every 10 s', () => {
    const tty = Object.assign(sink(), { columns: 200 });
    let t = 0;
    const bar = new RunReporter({ stream: tty, isTTY: true, now: () => (t += 1000), tickMs: 0 });
    bar.onProgress({ ...counts, filesFound: 1, filesStarted: 1, filesPlanned: 1, segmentsQueued: 400 });
    bar.cluster('workers 2 · batches 3 waiting/1 in flight · 450 words/s');
    const last = tty.text.split('\r').filter(Boolean).pop()!;
    expect(last).toMatch(/^files 0\/1 · segments 0\/400 · workers 2 · batches 3 waiting\/1 in flight · 450 words\/s · \d\d:\d\d elapsed · ETA --:--\s*$/);
    bar.finish();

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
