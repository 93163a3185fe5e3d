import { afterEach, describe, expect, it } from 'vitest';
import {
  arange,
  full,
  getAllocator,
  ones,
  plainAllocator,
  randn,
  Rng,
  setAllocator,
  tensor,
  zeros,
  zerosLike,
  type Allocator,
  type DataTypeMap,
  type DType,
} from '@scratchnet/tensor';

/** Hands out SharedArrayBuffer-backed arrays and records each request. */
function sharedAllocator(log: [DType, number][]): Allocator {
  return {
    allocate<D extends DType>(dtype: D, length: number): DataTypeMap[D] {
      log.push([dtype, length]);
      const bytes = dtype === 'float64' ? 8 : 4;
      const buffer = new SharedArrayBuffer(length * bytes);
      const array = dtype === 'float64' ? new Float64Array(buffer) : dtype === 'int32' ? new Int32Array(buffer) : new Float32Array(buffer);
      return array as DataTypeMap[D];
    },
  };
}

afterEach(() => setAllocator(null));

describe('setAllocator', () => {
  it('is used by every creation function', () => {
    const log: [DType, number][] = [];
    setAllocator(sharedAllocator(log));
    const made = [
      zeros([2, 3]),
      ones([4], { dtype: 'int32' }),
      full([2], 7, { dtype: 'float64' }),
      tensor([[1, 2], [3, 4]]),
      arange(5),
      zerosLike(zeros([3], { dtype: 'float64' })),
      randn([2, 2], { rng: new Rng(1) }),
    ];
    for (const t of made) expect(t.storage.shared).toBe(true);
    expect(log).toEqual([
      ['float32', 6],
      ['int32', 4],
      ['float64', 2],
      ['float32', 4],
      ['float32', 5],
      ['float64', 3],
      ['float64', 3],
      ['float32', 4],
    ]);
    expect(Array.from(made[2]!.data)).toEqual([7, 7]);
    expect(made[3]!.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('lives on globalThis under a registered symbol, so duplicated copies agree', () => {
    const custom = sharedAllocator([]);
    setAllocator(custom);
    expect(getAllocator()).toBe(custom);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('@scratchnet/tensor.allocator')]).toBe(custom);
  });

  it('null restores plain memory', () => {
    setAllocator(sharedAllocator([]));
    setAllocator(null);
    expect(getAllocator()).toBe(plainAllocator);
    const t = zeros([3]);
    expect(t.storage.shared).toBe(false);
    expect(t.data.buffer).toBeInstanceOf(ArrayBuffer);
  });
});
