import { SuiteRandom } from '@scratchnet/backend/testing';
import { describe, expect, it } from 'vitest';
import { ALIGN, BlockAllocator } from '../src/memory/block-allocator.js';

describe('BlockAllocator', () => {
  it('hands out aligned blocks from the base and reuses a freed block for a request that fits', () => {
    const blocks = new BlockAllocator(100, 100_000);
    expect(blocks.base).toBe(128);
    const a = blocks.allocate(10)!;
    const b = blocks.allocate(200)!;
    const c = blocks.allocate(64)!;
    expect([a, b, c]).toEqual([128, 192, 448]);
    expect(blocks.sizeOf(b)).toBe(256);
    blocks.free(b);
    expect(blocks.allocate(100)).toBe(192); // the freed block, split
    expect(blocks.allocate(128)).toBe(320); // the rest of it
    expect(blocks.usedBytes).toBe(64 + 128 + 128 + 64);
  });

  it('coalesces neighbours, lowers the top, and returns null when the range is full', () => {
    const blocks = new BlockAllocator(0, 1024);
    const [a, b, c] = [blocks.allocate(256)!, blocks.allocate(256)!, blocks.allocate(256)!];
    expect(blocks.allocate(512)).toBeNull();
    expect(blocks.largestFree).toBe(256);
    blocks.free(a);
    blocks.free(b);
    // a and b merged: 512 bytes in one block.
    expect(blocks.largestFree).toBe(512);
    expect(blocks.allocate(512)).toBe(0);
    blocks.free(0);
    blocks.free(c);
    // Everything free: the top is back at the base.
    expect(blocks.top).toBe(0);
    expect(blocks.usedBytes).toBe(0);
    expect(blocks.allocate(1024)).toBe(0);
  });

  it('grows with extend and refuses to shrink', () => {
    const blocks = new BlockAllocator(0, 128);
    expect(blocks.allocate(256)).toBeNull();
    blocks.extend(512);
    expect(blocks.allocate(256)).toBe(0);
    expect(() => blocks.extend(100)).toThrow(/below the current end/);
  });

  it('finds the block containing an address, and refuses to free what is not in use', () => {
    const blocks = new BlockAllocator(0, 4096);
    const a = blocks.allocate(300)!;
    expect(blocks.blockContaining(a + 299)).toBe(a);
    expect(blocks.blockContaining(a + 1000)).toBeUndefined();
    expect(() => blocks.free(a + 64)).toThrow(/no block in use/);
  });

  it('keeps blocks disjoint and the accounting exact under random allocation and freeing', () => {
    const rng = new SuiteRandom(11);
    const blocks = new BlockAllocator(0, 1 << 20);
    const live = new Map<number, number>();
    for (let step = 0; step < 1500; step++) {
      if (live.size > 0 && rng.next() < 0.45) {
        const starts = [...live.keys()];
        const start = rng.pick(starts);
        live.delete(start);
        blocks.free(start);
      } else {
        const bytes = rng.next() < 0.7 ? rng.int(1, 4096) : rng.int(1, 60000);
        const start = blocks.allocate(bytes);
        if (start === null) continue;
        expect(start % ALIGN).toBe(0);
        const size = blocks.sizeOf(start)!;
        expect(size).toBeGreaterThanOrEqual(bytes);
        for (const [s, z] of live) expect(start + size <= s || s + z <= start).toBe(true);
        live.set(start, size);
      }
      expect(blocks.usedBytes).toBe([...live.values()].reduce((x, y) => x + y, 0));
    }
    for (const start of live.keys()) blocks.free(start);
    expect(blocks.top).toBe(0);
    expect(blocks.largestFree).toBe(1 << 20);
  });
});
