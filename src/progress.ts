/**
 * The one terminal progress renderer: one redrawn status line on a terminal, plain log lines
 * otherwise (CI logs and redirected output must not fill up with carriage returns). `StatusLine`
 * draws; `createProgress` shows transfers and counts (model fetch, model preparation), and the
 * CLI's run reporter (cli/report.ts) draws its files/segments line with it.
 */
import { safeLines, terminalSafe } from './safe-text.js';

export interface ProgressUpdate {
  /** What is being worked on: a file name, "articles"… Starting a new label starts a new line. */
  readonly label: string;
  readonly current: number;
  /** Unknown totals show no bar and no percentage. */
  readonly total?: number;
  /** bytes: sizes and rates in KiB/MiB; items: plain counts. Default bytes. */
  readonly unit?: 'bytes' | 'items';
}

export interface Progress {
  update(p: ProgressUpdate): void;
  /** A line of its own, printed above the bar. */
  log(line: string): void;
  /** Finishes the current label: the last state stays visible, with `note` appended when given. */
  done(note?: string): void;
}

export interface ProgressOptions {
  readonly stream: NodeJS.WritableStream & { columns?: number };
  readonly isTTY: boolean;
  /** Milliseconds clock; injectable for tests. */
  readonly now?: () => number;
  /** Least milliseconds between two redraws on a TTY (default 100). */
  readonly redrawMs?: number;
  /** Non-TTY: a line each time this many more percent is reached (default 25). */
  readonly logEveryPercent?: number;
}

const BAR_WIDTH = 20;

/** "[#####---------------]" for a fraction done (clamped to 0..1). */
export function progressBar(fraction: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return `[${'#'.repeat(full)}${'-'.repeat(BAR_WIDTH - full)}]`;
}

/** "01:05", "1:02:05"; "--:--" when unknown (infinite). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export interface StatusLineOptions {
  readonly stream: NodeJS.WritableStream & { columns?: number };
  readonly isTTY: boolean;
  readonly now?: () => number;
  /** Least milliseconds between two redraws (default 100). */
  readonly redrawMs?: number;
}

/**
 * One line at the bottom of a terminal, redrawn in place (cut to the terminal width so it never
 * wraps) with log lines printed above it. Off a terminal it draws nothing: callers write their
 * own plain lines there.
 */
export class StatusLine {
  private drawn = 0;
  private lastDraw = -Infinity;
  private current: string | undefined;
  private readonly now: () => number;
  private readonly redrawMs: number;

  constructor(private readonly opts: StatusLineOptions) {
    this.now = opts.now ?? (() => Date.now());
    this.redrawMs = opts.redrawMs ?? 100;
  }

  /** Shows `text`, unless the last redraw was under `redrawMs` ago (then it is shown by the next one or a log line). */
  show(text: string): void {
    if (!this.opts.isTTY) return;
    this.current = text;
    const t = this.now();
    if (t - this.lastDraw < this.redrawMs) return;
    this.lastDraw = t;
    this.draw(text);
  }

  /** The next `show` draws whatever the time. */
  redrawNext(): void {
    this.lastDraw = -Infinity;
  }

  /** Prints `line` above the status line, which is drawn again under it (as `redraw`, when given). */
  log(line: string, redraw: string | undefined = this.current): void {
    this.clear();
    // Whatever a caller passes, no control character of an input reaches the terminal.
    this.opts.stream.write(`${safeLines(line)}\n`);
    if (this.opts.isTTY && redraw !== undefined) {
      this.current = redraw;
      this.lastDraw = this.now();
      this.draw(redraw);
    }
  }

  /** Leaves `text` on screen as a finished line; the next status starts a line of its own. */
  end(text: string): void {
    this.draw(text);
    this.opts.stream.write('\n');
    this.drawn = 0;
    this.current = undefined;
  }

  /** Blanks the status line; it comes back with the next `show`. */
  clear(): void {
    if (this.opts.isTTY && this.drawn > 0) {
      this.opts.stream.write(`\r${' '.repeat(this.drawn)}\r`);
      this.drawn = 0;
    }
    this.current = undefined;
  }

  private draw(raw: string): void {
    const text = terminalSafe(raw);
    const columns = this.opts.stream.columns ?? 80;
    const line = text.length > columns - 1 ? text.slice(0, columns - 1) : text;
    this.opts.stream.write(`\r${line}${' '.repeat(Math.max(0, this.drawn - line.length))}`);
    this.drawn = line.length;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}

function amount(n: number, unit: 'bytes' | 'items'): string {
  return unit === 'bytes' ? formatBytes(n) : String(n);
}

export function createProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? (() => Date.now());
  const step = opts.logEveryPercent ?? 25;
  const status = new StatusLine({ stream: opts.stream, isTTY: opts.isTTY, now, ...(opts.redrawMs !== undefined ? { redrawMs: opts.redrawMs } : {}) });
  let label: string | undefined;
  let startedAt = 0;
  let startValue = 0;
  let last: ProgressUpdate | undefined;
  let lastLoggedPercent = -1;

  const describe = (p: ProgressUpdate): string => {
    const unit = p.unit ?? 'bytes';
    const elapsed = (now() - startedAt) / 1000;
    const rate = elapsed > 0 ? (p.current - startValue) / elapsed : 0;
    const parts = [p.label];
    if (p.total !== undefined && p.total > 0) {
      const frac = Math.min(1, p.current / p.total);
      if (opts.isTTY) parts.push(progressBar(frac));
      parts.push(`${Math.floor(frac * 100)}%`, `${amount(p.current, unit)}/${amount(p.total, unit)}`);
    } else {
      parts.push(amount(p.current, unit));
    }
    if (elapsed > 0 && rate > 0) parts.push(unit === 'bytes' ? `${formatBytes(rate)}/s` : `${rate.toFixed(1)}/s`);
    return parts.join(' ');
  };

  const finish = (note?: string): void => {
    if (last === undefined) return;
    const text = note ? `${describe(last)} ${note}` : describe(last);
    if (opts.isTTY) {
      status.end(text);
    } else {
      opts.stream.write(`${text}\n`);
    }
    last = undefined;
    label = undefined;
  };

  return {
    update(p) {
      if (p.label !== label) {
        finish();
        label = p.label;
        startedAt = now();
        startValue = p.current;
        status.redrawNext();
        lastLoggedPercent = -1;
        if (!opts.isTTY) {
          const resumed = p.current > 0 ? ` (from ${amount(p.current, p.unit ?? 'bytes')})` : '';
          opts.stream.write(`${p.label}: started${resumed}\n`);
        }
      }
      last = p;
      if (opts.isTTY) {
        status.show(describe(p));
      } else if (p.total !== undefined && p.total > 0) {
        const pct = Math.floor((p.current / p.total) * 100);
        const reached = Math.floor(pct / step) * step;
        if (reached > lastLoggedPercent && reached > 0 && reached < 100) {
          lastLoggedPercent = reached;
          opts.stream.write(`${describe(p)}\n`);
        }
      }
    },
    log(line) {
      // The bar is drawn again under the logged line so it is not lost until the next update.
      status.log(line, last !== undefined ? describe(last) : undefined);
    },
    done(note) {
      finish(note);
    },
  };
}
