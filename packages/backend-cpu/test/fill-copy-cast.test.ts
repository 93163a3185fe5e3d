import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { fromValues, randomTensor, SuiteRandom, zerosTensor } from './helpers.js';

const backend = new CpuBackend();

describe('fill', () => {
  it('sets every element, rounded to the dtype', () => {
    const f = zerosTensor([2, 3], 'float32');
    backend.fill(f, 0.1);
    expect(Array.from(f.data)).toEqual(new Array(6).fill(Math.fround(0.1)));
    const i = zerosTensor([3], 'int32');
    backend.fill(i, -2.7);
    expect(Array.from(i.data)).toEqual([-2, -2, -2]);
  });

  it('writes only the tensor view, not the rest of its storage', () => {
    const base = zerosTensor([4, 2], 'float64');
    backend.fill(base.slice(1, 3), 5);
    expect(Array.from(base.data)).toEqual([0, 0, 5, 5, 5, 5, 0, 0]);
  });
});

describe('copy', () => {
  it('copies elements across shapes of the same size', () => {
    const src = randomTensor(new SuiteRandom(1), [2, 3], 'float64');
    const dst = zerosTensor([6], 'float64');
    backend.copy(src, dst);
    expect(Array.from(dst.data)).toEqual(Array.from(src.data));
  });

  it('copies between views of one storage at their offsets', () => {
    const base = fromValues([1, 2, 3, 4, 5, 6], [3, 2], 'float32');
    backend.copy(base.slice(0, 1), base.slice(2, 3));
    expect(Array.from(base.data)).toEqual([1, 2, 3, 4, 1, 2]);
  });
});

describe('cast', () => {
  it('float to int32 truncates toward zero; NaN and ±Infinity become 0; out-of-range wraps', () => {
    const src = fromValues([1.9, -1.9, 0.5, -0.5, 2147483647, NaN, Infinity, -Infinity, 2 ** 32 + 5], [9], 'float64');
    const dst = zerosTensor([9], 'int32');
    backend.cast(src, dst);
    expect(Array.from(dst.data)).toEqual([1, -1, 0, 0, 2147483647, 0, 0, 0, 5]);
  });

  it('float64 to float32 rounds to nearest; int32 to float is exact', () => {
    const src = fromValues([0.1, 1 / 3, 1e40], [3], 'float64');
    const dst = zerosTensor([3], 'float32');
    backend.cast(src, dst);
    expect(Array.from(dst.data)).toEqual([Math.fround(0.1), Math.fround(1 / 3), Infinity]);
    const ints = fromValues([-7, 16777217], [2], 'int32');
    const wide = zerosTensor([2], 'float64');
    backend.cast(ints, wide);
    expect(Array.from(wide.data)).toEqual([-7, 16777217]);
  });
});
