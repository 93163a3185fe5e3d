import { describe, expect, it } from 'vitest';
import { blocksOf, CHUNK_WORK, nextChunkBlocks, PIECE_WORK, planChunks, splits, type ChunkPlan } from '../src/chunk-plan.js';
import { SuiteRandom } from './helpers.js';

/** The chunks of `plan` in the order threads take them, as [start, end) units. */
function chunksOf(plan: ChunkPlan): Array<[number, number]> {
  const blocks = blocksOf(plan);
  const chunks: Array<[number, number]> = [];
  for (let first = 0; first < blocks; ) {
    const last = first + nextChunkBlocks(plan, blocks - first);
    chunks.push([first * plan.block, Math.min(plan.units, last * plan.block)]);
    first = last;
  }
  return chunks;
}

describe('planChunks', () => {
  it('covers [0, units) with contiguous, grain-aligned chunks that shrink as they are taken, no smaller than minBlocks but the last', () => {
    const rng = new SuiteRandom(11);
    for (let trial = 0; trial < 2000; trial++) {
      const units = rng.next() < 0.1 ? rng.int(1, 3) : rng.int(1, rng.pick([50, 5000, 200000]));
      const grain = rng.pick([1, 1, 4, 7]);
      const cost = rng.pick([1, 3, 15, 200, 2 * 784 * 128]);
      const rangeCost = rng.pick([0, 0, 6 * 1024 * 1024]);
      const threads = rng.int(1, 8);
      const plan = planChunks({ units, grain, cost, rangeCost }, threads);
      const chunks = chunksOf(plan);
      const where = `units ${units}, grain ${grain}, cost ${cost}, rangeCost ${rangeCost}, threads ${threads}: ${JSON.stringify(plan)}`;
      expect(plan.block === grain || (grain === 1 && plan.block === 16), where).toBe(true);
      expect(chunks[0]![0], where).toBe(0);
      expect(chunks.at(-1)![1], where).toBe(units);
      const broken = chunks.filter(([start, end], i) => (i > 0 && start !== chunks[i - 1]![1]) || start % grain !== 0 || end <= start);
      expect(broken, where).toEqual([]);
      const sizes = chunks.map(([start, end]) => Math.ceil((end - start) / plan.block));
      const growing = sizes.filter((size, i) => i > 0 && size > sizes[i - 1]!);
      expect(growing, where).toEqual([]);
      expect(Math.min(...sizes.slice(0, -1)), where).toBeGreaterThanOrEqual(plan.minBlocks);
      // Enough chunks for every thread whenever there are enough blocks.
      if (blocksOf(plan) >= threads) expect(chunks.length, where).toBeGreaterThanOrEqual(threads);
      expect(splits(plan), where).toBe(chunks.length > 1);
    }
  });

  it('takes about a quarter of what is left at a time on 2 threads, down to one row tile, when B is packed once', () => {
    // 128×784 @ 784×128: 32 row tiles of 4 rows, each worth a chunk of its own.
    const plan = planChunks({ units: 128, grain: 4, cost: 2 * 784 * 128, rangeCost: 0 }, 2);
    expect(plan).toMatchObject({ units: 128, block: 4, minBlocks: 1 });
    expect(chunksOf(plan).map(([s, e]) => (e - s) / 4)).toEqual([8, 6, 5, 4, 3, 2, 1, 1, 1, 1]);
  });

  it('cuts one chunk per thread when every chunk must pack a large B again', () => {
    const plan = planChunks({ units: 128, grain: 4, cost: 2 * 1024 * 1024, rangeCost: 6 * 1024 * 1024 }, 2);
    expect(chunksOf(plan)).toEqual([
      [0, 64],
      [64, 128],
    ]);
  });

  it('keeps chunks of element-wise calls at CHUNK_WORK or more, on 16-element boundaries', () => {
    expect(chunksOf(planChunks({ units: 16_384, grain: 1, cost: 1 }, 2))).toEqual([
      [0, 8192],
      [8192, 16_384],
    ]);
    const plan = planChunks({ units: 100_000, grain: 1, cost: 15 }, 2);
    expect(plan.minBlocks * 16 * 15).toBeGreaterThanOrEqual(CHUNK_WORK);
    for (const [start] of chunksOf(plan)) expect(start % 16).toBe(0);
  });

  it('never puts more than about PIECE_WORK in a chunk when the grain allows, so a failed op is noticed soon', () => {
    expect(chunksOf(planChunks({ units: 400, grain: 4, cost: PIECE_WORK / 40 }, 2)).every(([s, e]) => (e - s) * (PIECE_WORK / 40) <= PIECE_WORK)).toBe(true);
    // A grain holding more than PIECE_WORK: one chunk per grain.
    expect(chunksOf(planChunks({ units: 10, grain: 4, cost: PIECE_WORK * 3 }, 2))).toEqual([
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
