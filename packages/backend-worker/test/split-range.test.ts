import { describe, expect, it } from 'vitest';
import { splitRange } from '../src/split-range.js';
import { SuiteRandom } from './helpers.js';

describe('splitRange', () => {
  it('covers [0, units) with contiguous, grain-aligned, balanced ranges, at most one per thread', () => {
    const rng = new SuiteRandom(11);
    for (let trial = 0; trial < 2000; trial++) {
      const units = rng.next() < 0.1 ? rng.int(0, 3) : rng.int(1, rng.pick([50, 5000, 200000]));
      const grain = rng.pick([1, 1, 4, 7]);
      const parts = rng.int(1, 8);
      const ranges = splitRange(units, grain, parts);
      const where = `units ${units}, grain ${grain}, parts ${parts}: ${JSON.stringify(ranges)}`;
      expect(ranges.length, where).toBeGreaterThanOrEqual(1);
      expect(ranges.length, where).toBeLessThanOrEqual(Math.max(1, Math.min(parts, Math.ceil(units / grain))));
      expect(ranges[0]![0], where).toBe(0);
      expect(ranges[ranges.length - 1]![1], where).toBe(units);
      const sizes: number[] = [];
      ranges.forEach(([start, end], i) => {
        if (i > 0) expect(start, where).toBe(ranges[i - 1]![1]);
        expect(start % grain, where).toBe(0);
        if (units > 0) expect(end, where).toBeGreaterThan(start);
        sizes.push(end - start);
      });
      // Balanced to within one block (16 units for long element-wise ranges, else the grain).
      const block = grain === 1 && units >= 256 * parts ? 16 : grain;
      expect(Math.max(...sizes) - Math.min(...sizes), where).toBeLessThanOrEqual(2 * block);
      // Every thread gets a range when there are enough blocks.
      if (Math.ceil(units / block) >= parts) expect(ranges.length, where).toBe(parts);
    }
  });

  it('starts long element-wise ranges on 16-element boundaries', () => {
    expect(splitRange(10_000, 1, 3)).toEqual([
      [0, 3328],
      [3328, 6656],
      [6656, 10_000],
    ]);
  });
});
