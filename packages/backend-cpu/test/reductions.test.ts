import { REDUCE_OPS, type ReduceOp } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { fromValues, randomTensor, SuiteRandom, toleranceRatio, zerosTensor } from './helpers.js';

const backend = new CpuBackend();

/** Values along `axis` for every output position, by explicit coordinates. */
function lanes(x: Tensor, axis: number): number[][] {
  const shape = x.shape;
  const outShape = shape.filter((_, i) => i !== axis);
  const outSize = outShape.reduce((p, d) => p * d, 1);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const result: number[][] = [];
  for (let o = 0; o < outSize; o++) {
    const coords: number[] = [];
    let rem = o;
    for (let d = outShape.length - 1; d >= 0; d--) {
      coords.unshift(rem % outShape[d]!);
      rem = Math.floor(rem / outShape[d]!);
    }
    coords.splice(axis, 0, 0);
    const lane: number[] = [];
    for (let j = 0; j < shape[axis]!; j++) {
      coords[axis] = j;
      lane.push(x.data[coords.reduce((s, c, i) => s + c * strides[i]!, 0)]!);
    }
    result.push(lane);
  }
  return result;
}

// Typed by ReduceOp: a reduction added to the spec table without a reference here fails to compile.
const REDUCE_REF: Record<ReduceOp, (v: number[]) => number> = {
  sum: (v: number[]) => v.reduce((s, x) => s + x, 0),
  mean: (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length,
  max: (v: number[]) => Math.max(...v),
  min: (v: number[]) => Math.min(...v),
};

describe('reduce', () => {
  for (const op of REDUCE_OPS) {
    it(`${op} along every axis matches the reference (float32 and float64)`, () => {
      const rng = new SuiteRandom(1);
      for (const dtype of ['float32', 'float64'] as const) {
        for (const shape of [[4, 5, 6], [1, 7], [3, 2, 1100], [9]]) {
          const x = randomTensor(rng, shape, dtype);
          for (let axis = 0; axis < shape.length; axis++) {
            const out = zerosTensor(shape.filter((_, i) => i !== axis), dtype);
            backend.reduce(op, x, axis, out);
            const expected = lanes(x, axis).map(REDUCE_REF[op]);
            const rtol = dtype === 'float32' ? 1e-6 : 1e-14;
            expect(toleranceRatio(out.data, expected, rtol, rtol), `${op} ${dtype} ${JSON.stringify(shape)} axis ${axis}`).toBeLessThanOrEqual(1);
          }
        }
      }
    });
  }

  it('accepts a negative axis and an out that keeps the axis as 1', () => {
    const x = fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'float32');
    const out = zerosTensor([2, 1], 'float32');
    backend.reduce('sum', x, -1, out);
    expect(Array.from(out.data)).toEqual([6, 15]);
  });

  it('gives the identity on an empty axis: 0, NaN, -Infinity, Infinity', () => {
    const x = zerosTensor([3, 0], 'float64');
    const expected: Record<ReduceOp, number> = { sum: 0, mean: NaN, max: -Infinity, min: Infinity };
    for (const op of REDUCE_OPS) {
      const out = randomTensor(new SuiteRandom(2), [3], 'float64');
      backend.reduce(op, x, 1, out);
      expect(Array.from(out.data), op).toEqual([expected[op], expected[op], expected[op]]);
    }
  });

  it('max and min propagate NaN wherever it sits in the lane', () => {
    // Every row and every column of this matrix has its NaN at a different place.
    const x = fromValues([NaN, 1, 2, 1, NaN, 2, 1, 2, NaN], [3, 3], 'float64');
    for (const axis of [0, 1]) {
      for (const op of ['max', 'min'] as const) {
        const out = zerosTensor([3], 'float64');
        backend.reduce(op, x, axis, out);
        expect(Array.from(out.data), `${op} axis ${axis}`).toEqual([NaN, NaN, NaN]);
      }
    }
  });

  it('sums int32 exactly', () => {
    const x = fromValues([2_000_000, 1, -3, 7], [4], 'int32');
    const out = zerosTensor([], 'int32');
    backend.reduce('sum', x, 0, out);
    expect(out.data[0]).toBe(2_000_005);
  });
});

describe('argReduce', () => {
  it('matches the first index of the max/min along every axis', () => {
    const rng = new SuiteRandom(3);
    // Small integers make ties common.
    const x = randomTensor(rng, [5, 6, 7], 'int32', -2, 2);
    for (const op of ['argmax', 'argmin'] as const) {
      for (let axis = 0; axis < 3; axis++) {
        const out = zerosTensor([5, 6, 7].filter((_, i) => i !== axis), 'int32');
        backend.argReduce(op, x, axis, out);
        const expected = lanes(x, axis).map((lane) => lane.indexOf(op === 'argmax' ? Math.max(...lane) : Math.min(...lane)));
        expect(Array.from(out.data), `${op} axis ${axis}`).toEqual(expected);
      }
    }
  });

  it('returns the first NaN (NumPy rule) and -1 on an empty axis', () => {
    const x = fromValues([1, NaN, 5, NaN, 3, 2, 9, 0], [2, 4], 'float32');
    const out = zerosTensor([2], 'int32');
    backend.argReduce('argmax', x, 1, out);
    expect(Array.from(out.data)).toEqual([1, 2]);
    backend.argReduce('argmin', x, 1, out);
    expect(Array.from(out.data)).toEqual([1, 3]);
    const first = fromValues([NaN, 4], [2], 'float64');
    const one = zerosTensor([], 'int32');
    backend.argReduce('argmax', first, 0, one);
    expect(one.data[0]).toBe(0);
    backend.argReduce('argmax', zerosTensor([2, 0]), 1, out);
    expect(Array.from(out.data)).toEqual([-1, -1]);
  });
});
