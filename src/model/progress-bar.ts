/**
 * Progress on stderr: one redrawn line on a terminal, plain log lines otherwise (CI logs and
 * redirected output must not fill up with carriage returns). Used by `model fetch` (bytes) and
 * usable by `translate` (files or segments).
 */

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
  const redrawMs = opts.redrawMs ?? 100;
  const step = opts.logEveryPercent ?? 25;
  let label: string | undefined;
  let startedAt = 0;
  let startValue = 0;
  let last: ProgressUpdate | undefined;
  let lastDraw = -Infinity;
  let lastLoggedPercent = -1;
  // Length of the line now on screen (TTY), so a shorter redraw blanks the rest.
  let drawn = 0;

  const describe = (p: ProgressUpdate): string => {
    const unit = p.unit ?? 'bytes';
    const elapsed = (now() - startedAt) / 1000;
    const rate = elapsed > 0 ? (p.current - startValue) / elapsed : 0;
    const parts = [p.label];
    if (p.total !== undefined && p.total > 0) {
      const frac = Math.min(1, p.current / p.total);
      if (opts.isTTY) {
        const full = Math.round(frac * BAR_WIDTH);
        parts.push(`[${'#'.repeat(full)}${'-'.repeat(BAR_WIDTH - full)}]`);
      }
      parts.push(`${Math.floor(frac * 100)}%`, `${amount(p.current, unit)}/${amount(p.total, unit)}`);
    } else {
      parts.push(amount(p.current, unit));
    }
    if (elapsed > 0 && rate > 0) parts.push(unit === 'bytes' ? `${formatBytes(rate)}/s` : `${rate.toFixed(1)}/s`);
    return parts.join(' ');
  };

  const draw = (text: string): void => {
    const columns = opts.stream.columns ?? 80;
    const line = text.length > columns - 1 ? text.slice(0, columns - 1) : text;
    opts.stream.write(`\r${line}${' '.repeat(Math.max(0, drawn - line.length))}`);
    drawn = line.length;
  };

  const clearLine = (): void => {
    if (opts.isTTY && drawn > 0) {
      opts.stream.write(`\r${' '.repeat(drawn)}\r`);
      drawn = 0;
    }
  };

  const finish = (note?: string): void => {
    if (last === undefined) return;
    const text = note ? `${describe(last)} ${note}` : describe(last);
    if (opts.isTTY) {
      draw(text);
      opts.stream.write('\n');
      drawn = 0;
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
        lastDraw = -Infinity;
        lastLoggedPercent = -1;
        if (!opts.isTTY) {
          const resumed = p.current > 0 ? ` (from ${amount(p.current, p.unit ?? 'bytes')})` : '';
          opts.stream.write(`${p.label}: started${resumed}\n`);
        }
      }
      last = p;
      if (opts.isTTY) {
        const t = now();
        if (t - lastDraw >= redrawMs) {
          lastDraw = t;
          draw(describe(p));
        }
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
      clearLine();
      opts.stream.write(`${line}\n`);
      // Redraw the bar under the logged line so it is not lost until the next update.
      if (opts.isTTY && last !== undefined) {
        lastDraw = now();
        draw(describe(last));
      }
    },
    done(note) {
      finish(note);
    },
  };
}
