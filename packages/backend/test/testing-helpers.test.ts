import { describe, expect, it } from 'vitest';
import { firstDifference, randomTensor, sameBits, SuiteRandom, zerosTensor } from '@scratchnet/backend/testing';

describe('testing helpers for a backend’s own tests', () => {
  it('sameBits compares bytes: -0 differs from 0, equal NaNs match, types and lengths must agree', () => {
    expect(sameBits(new Float32Array([1, NaN, 0]), new Float32Array([1, NaN, 0]))).toBe(true);
    expect(sameBits(new Float32Array([0]), new Float32Array([-0]))).toBe(false);
    expect(sameBits(new Float32Array([1]), new Float64Array([1]))).toBe(false);
    expect(sameBits(new Int32Array([1, 2]), new Int32Array([1]))).toBe(false);
    // Views compare their own bytes, not their buffers'.
    const buffer = new Float64Array([7, 1, 2]);
    expect(sameBits(buffer.subarray(1), new Float64Array([1, 2]))).toBe(true);
  });

  it('firstDifference names the first differing element, the shorter length, or -1', () => {
    expect(firstDifference(new Float64Array([1, 2, 3]), new Float64Array([1, 2, 4]))).toBe(2);
    expect(firstDifference(new Float64Array([0, 5]), new Float64Array([-0, 5]))).toBe(0);
    expect(firstDifference(new Int32Array([1, 2]), new Int32Array([1, 2, 3]))).toBe(2);
    expect(firstDifference(new Float32Array([1, 2]), new Float32Array([1, 2]))).toBe(-1);
  });

  it('SuiteRandom and randomTensor draw the same numbers for the same seed, within their ranges', () => {
    const a = randomTensor(new SuiteRandom(5), [3, 4], 'float64', -2, 3);
    const b = randomTensor(new SuiteRandom(5), [3, 4], 'float64', -2, 3);
    expect(sameBits(a.data, b.data)).toBe(true);
    expect(a.shape).toEqual([3, 4]);
    expect(Array.from(a.data).every((v) => v >= -2 && v < 3)).toBe(true);
    const ints = randomTensor(new SuiteRandom(6), [200], 'int32', -1, 1);
    expect(new Set(ints.data)).toEqual(new Set([-1, 0, 1]));
    const random = new SuiteRandom(7);
    const picks = new Set(Array.from({ length: 100 }, () => random.pick(['x', 'y', 'z'])));
    expect(picks).toEqual(new Set(['x', 'y', 'z']));
    const zeros = zerosTensor([2, 0, 3], 'int32');
    expect([zeros.dtype, zeros.size, zeros.shape]).toEqual(['int32', 0, [2, 0, 3]]);
  });
});
