import { describe, expect, it } from 'vitest';
import { blocksOf, CHUNK_WORK, nextChunkBlocks, PIECE_WORK, planChunks, regionOf, splits, type ChunkPlan } from '../src/chunk-plan.js';
import { SuiteRandom } from './helpers.js';

/** Each region's chunks as its own thread takes them, front to back, as [start, end) units. */
function chunksOf(plan: ChunkPlan): Array<Array<[number, number]>> {
  return Array.from({ length: plan.threads }, (_, thread) => {
    const { first, end } = regionOf(plan, thread);
    const chunks: Array<[number, number]> = [];
    for (let at = first; at < end; ) {
      const next = at + nextChunkBlocks(plan, end - at);
      chunks.push([at * plan.block, Math.min(plan.units, next * plan.block)]);
      at = next;
    }
    return chunks;
  });
}

describe('planChunks', () => {
  it('cuts [0, units) into one region per thread, and each region into grain-aligned chunks that shrink, none below minBlocks but the last', () => {
    const rng = new SuiteRandom(11);
    for (let trial = 0; trial < 2000; trial++) {
      const units = rng.next() < 0.1 ? rng.int(1, 3) : rng.int(1, rng.pick([50, 5000, 200000, 3_000_000]));
      const grain = rng.pick([1, 1, 4, 7]);
      const cost = rng.pick([1, 3, 15, 200, 2 * 784 * 128]);
      const rangeCost = rng.pick([0, 0, 6 * 1024 * 1024]);
      const threads = rng.int(1, 8);
      const plan = planChunks({ units, grain, cost, rangeCost }, threads);
      const where = `units ${units}, grain ${grain}, cost ${cost}, rangeCost ${rangeCost}, threads ${threads}: ${JSON.stringify(plan)}`;
      expect(plan.block % grain, where).toBe(0);
      // Each end of a region lives in 16 bits of its word.
      expect(blocksOf(plan), where).toBeLessThanOrEqual(0xffff);
      const regions = chunksOf(plan);
      const all = regions.flat();
      expect(all[0]![0], where).toBe(0);
      expect(all.at(-1)![1], where).toBe(units);
      const broken = all.filter(([start, end], i) => (i > 0 && start !== all[i - 1]![1]) || start % grain !== 0 || end <= start);
      expect(broken, where).toEqual([]);
      for (const chunks of regions) {
        const sizes = chunks.map(([start, end]) => Math.ceil((end - start) / plan.block));
        expect(sizes.filter((size, i) => i > 0 && size > sizes[i - 1]!), where).toEqual([]);
        if (sizes.length > 1) expect(Math.min(...sizes.slice(0, -1)), where).toBeGreaterThanOrEqual(plan.minBlocks);
      }
      // Regions as equal as whole blocks allow.
      const sizes = regions.map((_, t) => regionOf(plan, t).end - regionOf(plan, t).first);
      expect(Math.max(...sizes) - Math.min(...sizes), where).toBeLessThanOrEqual(1);
      expect(splits(plan), where).toBe(all.length > 1);
    }
  });

  it('splits a 128-row product into two regions of 16 row tiles, each taken a quarter of what is left at a time', () => {
    // 128×784 @ 784×128, B packed once per thread: each row tile is worth a chunk of its own.
    const plan = planChunks({ units: 128, grain: 4, cost: 2 * 784 * 128, rangeCost: 0 }, 2);
    expect(plan).toMatchObject({ units: 128, block: 4, minBlocks: 1, threads: 2 });
    expect(regionOf(plan, 0)).toEqual({ first: 0, end: 16 });
    expect(regionOf(plan, 1)).toEqual({ first: 16, end: 32 });
    expect(chunksOf(plan)[0]!.map(([s, e]) => (e - s) / 4)).toEqual([4, 3, 3, 2, 1, 1, 1, 1]);
  });

  it('keeps a region in one chunk when every chunk must pack a large B again', () => {
    const plan = planChunks({ units: 128, grain: 4, cost: 2 * 1024 * 1024, rangeCost: 6 * 1024 * 1024 }, 2);
    expect(chunksOf(plan)).toEqual([[[0, 64]], [[64, 128]]]);
  });

  it('keeps chunks of element-wise calls at CHUNK_WORK or more, on 16-element boundaries', () => {
    expect(chunksOf(planChunks({ units: 16_384, grain: 1, cost: 1 }, 2))).toEqual([[[0, 8192]], [[8192, 16_384]]]);
    const plan = planChunks({ units: 100_000, grain: 1, cost: 15 }, 2);
    expect(plan.minBlocks * 16 * 15).toBeGreaterThanOrEqual(CHUNK_WORK);
    for (const [start] of chunksOf(plan).flat()) expect(start % 16).toBe(0);
  });

  it('never puts more than about PIECE_WORK in a chunk when the grain allows, so a failed op is noticed soon', () => {
    const chunks = chunksOf(planChunks({ units: 400, grain: 4, cost: PIECE_WORK / 40 }, 2)).flat();
    expect(chunks.every(([s, e]) => (e - s) * (PIECE_WORK / 40) <= PIECE_WORK)).toBe(true);
    // A grain holding more than PIECE_WORK: one chunk per grain.
    expect(chunksOf(planChunks({ units: 10, grain: 4, cost: PIECE_WORK * 3 }, 2)).flat()).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
  });

  it('does not split a call whose work fits one chunk', () => {
    expect(splits(planChunks({ units: 1, grain: 1, cost: 1e6 }, 2))).toBe(false);
    expect(splits(planChunks({ units: 4, grain: 4, cost: 1e6 }, 2))).toBe(false);
    expect(splits(planChunks({ units: 8, grain: 4, cost: 1e6 }, 2))).toBe(true);
  });
});
