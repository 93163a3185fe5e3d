import { describe, expect, it } from 'vitest';
import {
  AllocationError,
  arange,
  full,
  getAllocator,
  ones,
  rand,
  randint,
  randn,
  setAllocator,
  tensor,
  zeros,
  type Allocator,
} from '@scratchnet/tensor';

/** Runs `fn` and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('huge but legal shapes: an AllocationError naming the op, the shape and the bytes', () => {
  it('zeros([2**30, 2**30]): more bytes than a safe integer, refused before any allocation is tried', () => {
    const calls: number[] = [];
    const previous = getAllocator();
    const spy: Allocator = { allocate: (dtype, length) => (calls.push(length), previous.allocate(dtype, length)) };
    setAllocator(spy);
    let error: unknown;
    try {
      error = thrown(() => zeros([2 ** 30, 2 ** 30]));
    } finally {
      setAllocator(previous);
    }
    expect(error).toBeInstanceOf(AllocationError);
    expect((error as Error).message).toBe(
      'zeros: a float32 tensor of shape [1073741824,1073741824] needs 4611686018427387904 bytes (4.00 EiB); more than any JavaScript engine can address',
    );
    expect((error as AllocationError).bytes).toBe(4611686018427387904n);
    expect((error as AllocationError).shape).toEqual([2 ** 30, 2 ** 30]);
    expect((error as AllocationError).dtype).toBe('float32');
    expect(calls).toEqual([]);
  });

  it('arange(0, 1e12): a length the engine refuses becomes an AllocationError carrying the RangeError', () => {
    const error = thrown(() => arange(0, 1e12));
    expect(error).toBeInstanceOf(AllocationError);
    expect((error as Error).message).toMatch(
      /^arange: a float32 tensor of shape \[1000000000000\] needs 4000000000000 bytes \(3\.64 TiB\); the allocation failed \(.+\)$/,
    );
    expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(RangeError);
  });

  it('every creation function goes through the same check', () => {
    const huge = [2 ** 31, 2 ** 31];
    const cases: [string, () => unknown, string][] = [
      ['zeros', () => zeros(huge, { dtype: 'float64' }), 'float64'],
      ['ones', () => ones(huge, { dtype: 'int32' }), 'int32'],
      ['full', () => full(huge, 2), 'float32'],
      ['rand', () => rand(huge), 'float32'],
      ['randn', () => randn(huge, { dtype: 'float64' }), 'float64'],
      ['randint', () => randint(0, 3, huge), 'int32'],
      ['tensor', () => tensor([], { shape: [0, ...huge] }), 'float32'],
    ];
    for (const [op, fn, dtype] of cases) {
      if (op === 'tensor') {
        // A zero-sized shape is small whatever its other dimensions: it must still work.
        expect((fn() as { size: number }).size).toBe(0);
        continue;
      }
      const error = thrown(fn);
      expect(error, op).toBeInstanceOf(AllocationError);
      expect((error as Error).message, op).toMatch(new RegExp(`^${op}: a ${dtype} tensor of shape \\[2147483648,2147483648\\] needs \\d+ bytes`));
    }
  });

  it('a length within the engine’s limit but beyond memory: the allocator’s RangeError is translated too', () => {
    const previous = getAllocator();
    setAllocator({
      allocate: () => {
        throw new RangeError('Array buffer allocation failed');
      },
    });
    try {
      const error = thrown(() => zeros([1000, 1000], { dtype: 'float64' }));
      expect(error).toBeInstanceOf(AllocationError);
      expect((error as Error).message).toBe(
        'zeros: a float64 tensor of shape [1000,1000] needs 8000000 bytes (7.63 MiB); the allocation failed (Array buffer allocation failed)',
      );
    } finally {
      setAllocator(previous);
    }
  });

  it('other allocator errors pass through unchanged', () => {
    const previous = getAllocator();
    const own = new TypeError('allocator bug');
    setAllocator({
      allocate: () => {
        throw own;
      },
    });
    try {
      expect(thrown(() => zeros([2]))).toBe(own);
    } finally {
      setAllocator(previous);
    }
  });
});
