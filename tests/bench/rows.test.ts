import { describe, expect, it } from 'vitest';
import { parseRows, rowSpecs } from '../../bench/rows.js';
import { BenchUsageError, parseBenchArgs } from '../../bench/run.js';

describe('bench rows', () => {
  it('parses row lists; all = every row; unknown rows are refused', () => {
    expect(parseRows('greedy,beams6')).toEqual(['greedy', 'beams6']);
    expect(parseRows('all')).toEqual(['greedy', 'beams4', 'beams6', 'defaults', 'cold']);
    expect(() => parseRows('greedy,beams5')).toThrow(/unknown row "beams5"/);
  });

  it('the defaults row keeps guard retries on (only the user sets); --compare-fused adds unfused twins', () => {
    const specs = rowSpecs(['greedy', 'defaults'], ['guards.retry=false', 'queue.batch_size=8'], ['queue.batch_size=8'], true);
    expect(specs.map((s) => [s.name, s.beams, s.sets])).toEqual([
      ['greedy', 1, ['guards.retry=false', 'queue.batch_size=8']],
      ['defaults', undefined, ['queue.batch_size=8']],
      ['greedy (unfused)', 1, ['guards.retry=false', 'queue.batch_size=8', 'engine.fused_selection=false']],
      ['defaults (unfused)', undefined, ['queue.batch_size=8', 'engine.fused_selection=false']],
    ]);
  });

  it('bench flags: --rows with --json, not with --beams; --compare-fused needs --rows', () => {
    const o = parseBenchArgs(['--json', '--rows', 'all']);
    expect(o !== 'help' && o.rows).toEqual(['greedy', 'beams4', 'beams6', 'defaults', 'cold']);
    expect(() => parseBenchArgs(['--rows', 'greedy', '--beams', '4'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--compare-fused'])).toThrow(/needs --rows/);
    const plain = parseBenchArgs(['--quick']);
    expect(plain !== 'help' && plain.rows).toBeUndefined();
  });
});
