import { describe, expect, it } from 'vitest';
import { safeLines, terminalSafe } from '../src/safe-text.js';

describe('terminalSafe', () => {
  it('shows ESC, BEL, newlines and carriage returns as visible escapes', () => {
    expect(terminalSafe('a\u001b[31mred\u0007\nb\rc\td')).toBe('a\\x1b[31mred\\x07\\nb\\rc\\td');
  });

  it('defuses an OSC 0 window-title sequence and C1 controls', () => {
    const osc = 'Judul \u001b]0;pwned\u0007 baru \u009b2J';
    const safe = terminalSafe(osc);
    expect(safe).toBe('Judul \\x1b]0;pwned\\x07 baru \\x9b2J');
    // eslint-disable-next-line no-control-regex
    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('shows bidirectional overrides, which reorder what is displayed', () => {
    expect(terminalSafe('berita\u202etxt.exe')).toBe('berita\\u202etxt.exe');
  });

  it('leaves ordinary text alone, accents and non-Latin scripts included', () => {
    expect(terminalSafe('baik sekali — ü, 日本, ✓')).toBe('baik sekali — ü, 日本, ✓');
  });
});

describe('safeLines', () => {
  it('keeps the line breaks of a message and escapes every other control character', () => {
    expect(safeLines('first \u001b[2J\n  second\u0007')).toBe('first \\x1b[2J\n  second\\x07');
  });
});
