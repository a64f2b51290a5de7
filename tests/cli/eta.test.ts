import { describe, expect, it } from 'vitest';
import { EtaEstimator } from '../../src/cli/eta.js';

describe('EtaEstimator', () => {
  it('counts the files not parsed yet at the segments per file seen so far', () => {
    const e = new EtaEstimator(0);
    expect(e.estimateTotal({ filesFound: undefined, filesPlanned: 2, segmentsQueued: 10 })).toBe(10);
    expect(e.estimateTotal({ filesFound: 10, filesPlanned: 2, segmentsQueued: 10 })).toBe(50);
    expect(e.estimateTotal({ filesFound: 2, filesPlanned: 2, segmentsQueued: 10 })).toBe(10);
  });

  it('shows no ETA in the first seconds, then one that falls with the clock at a steady rate', () => {
    const e = new EtaEstimator(0);
    expect(e.update(1000, 10, 100).seconds).toBeUndefined();
    const at5 = e.update(5000, 50, 1000).seconds!;
    const at10 = e.update(10_000, 100, 1000).seconds!;
    expect(at5).toBeCloseTo(95, 0);
    expect(at10).toBeCloseTo(90, 0);
  });

  it('takes in a sudden rise of the total gradually, never a jump back up', () => {
    const e = new EtaEstimator(0);
    e.update(5000, 50, 100);
    const before = e.update(6000, 60, 100).seconds!;
    // The total triples (more files found with many segments): the raw estimate jumps from ~4 s to ~24 s.
    const after = e.update(7000, 70, 300).seconds!;
    expect(after).toBeGreaterThan(before - 1);
    expect(after).toBeLessThan(before + 0.25 * (230 / 10 - before));
    // ...and keeps moving towards it while the work says so.
    const later = e.update(8000, 80, 300).seconds!;
    expect(later).toBeGreaterThan(after);
  });

  it('drops to a lower estimate at once, and to zero when all is done', () => {
    const e = new EtaEstimator(0);
    e.update(5000, 50, 1000);
    const low = e.update(6000, 60, 100).seconds!;
    expect(low).toBeCloseTo(4, 0);
    expect(e.update(7000, 100, 100).seconds).toBe(0);
  });
});
