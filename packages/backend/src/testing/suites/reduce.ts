import type { DType, Tensor } from '@scratchnet/tensor';
import { ARG_REDUCE_OPS, REDUCE_OPS, reduceSpec, type ArgReduceOp, type ReduceOp } from '../../spec/reduce.js';
import { assertClose, assertExact, rtolFor } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';

/** 1-D to 4-D shapes, with empty axes, axes of length 1 and lengths that straddle tiles. */
export const REDUCE_SHAPES: readonly (readonly number[])[] = [
  [0],
  [1],
  [7],
  [129],
  [1, 1],
  [3, 5],
  [5, 0],
  [0, 4],
  [33, 65],
  [4, 1, 6],
  [2, 3, 4],
  [17, 2, 9],
  [2, 3, 4, 5],
  [3, 1, 2, 9],
  [1, 16, 3, 1],
];

function shapeWithout(shape: readonly number[], axis: number, keepDims: boolean): number[] {
  return shape.flatMap((d, i) => (i === axis ? (keepDims ? [1] : []) : [d]));
}

function absolute(h: Harness, t: Tensor): Tensor {
  const c = h.up(t);
  for (let i = 0; i < c.size; i++) c.data[i] = Math.abs(c.data[i]!);
  return c;
}

function checkReduce(h: Harness, op: ReduceOp, x: Tensor, axis: number, keepDims: boolean): void {
  const dtype = x.dtype as DType;
  const outShape = shapeWithout(x.shape, axis, keepDims);
  const expected = h.refZeros(outShape, dtype);
  h.ref.reduce(op, h.up(x), axis, expected);
  const out = h.garbage(outShape, dtype);
  const what = `reduce ${op}(${dtype} [${x.shape.join(',')}], axis ${axis}) -> [${outShape.join(',')}]`;
  h.run(what, [x], () => h.kernels.reduce(op, x, axis, out));
  if (reduceSpec(op).selects || dtype === 'int32') {
    // The result is one of the inputs (or an exact integer sum): no rounding allowed.
    assertExact(what, out, expected);
  } else {
    // Summation error scales with sum |x| (mean: with its mean).
    const mag = h.refZeros(outShape, 'float64');
    h.ref.reduce(op, absolute(h, x), axis, mag);
    const len = x.shape[axis]!;
    assertClose(what, out, expected, { rtol: rtolFor(dtype) * Math.max(1, len / 128), mag: mag.data });
  }
}

function checkArgReduce(h: Harness, op: ArgReduceOp, x: Tensor, axis: number): void {
  const outShape = shapeWithout(x.shape, axis, false);
  const expected = h.refZeros(outShape, 'int32');
  h.ref.argReduce(op, x, axis, expected);
  const out = h.garbage(outShape, 'int32');
  const what = `argReduce ${op}(${x.dtype} [${x.shape.join(',')}], axis ${axis})`;
  h.run(what, [x], () => h.kernels.argReduce(op, x, axis, out));
  assertExact(what, out, expected);
}

export function registerReduce(ctx: SuiteContext): void {
  ctx.api.describe('reduce', () => {
    for (const op of REDUCE_OPS) {
      const dtypes: DType[] = reduceSpec(op).floatOnly ? ['float32', 'float64'] : ['float32', 'float64', 'int32'];
      for (const dtype of dtypes) {
        ctx.test(`${op} ${dtype} along each axis of 1-D to 4-D shapes`, (h) => {
          const shapes = [...REDUCE_SHAPES, ...ctx.sizes.map((n) => [n]), ...(ctx.options.extraSizes ?? []).map((n) => [3, n])];
          for (const shape of shapes) {
            for (let axis = 0; axis < shape.length; axis++) {
              // int32 max/min over an empty axis has no value to write (ops rejects it).
              if (dtype === 'int32' && reduceSpec(op).selects && shape[axis] === 0) continue;
              const x = h.random(shape, dtype, dtype === 'int32' ? { low: -1000, high: 1000 } : { low: -2, high: 2 });
              checkReduce(h, op, x, axis, false);
              checkReduce(h, op, x, axis, true);
            }
          }
        });
      }
      for (const dtype of ['float32', 'float64'] as const) {
        ctx.test(`${op} ${dtype} propagates NaN (and keeps ±Infinity)`, (h) => {
          // NaN first, in the middle, last, alone, twice, and rows without one; columns too.
          const rows = [
            [NaN, 1, 2, 3], [5, NaN, 9, -1], [5, 9, -1, NaN], [NaN, NaN, 0, 1],
            [Infinity, -Infinity, 0, 1], [-Infinity, -Infinity, -Infinity, -Infinity], [1, 2, 3, 4], [-0, 0, -0, 0],
          ];
          const x = h.from(rows.flat(), [rows.length, 4], dtype);
          checkReduce(h, op, x, 1, false);
          checkReduce(h, op, x, 0, true);
          checkReduce(h, op, x.reshape([2, 4, 4]), 1, false);
        });
      }
    }
  });
  ctx.api.describe('argReduce', () => {
    for (const op of ARG_REDUCE_OPS) {
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        ctx.test(`${op} ${dtype} along each axis, with ties (the first index wins)`, (h) => {
          const shapes = [...REDUCE_SHAPES, ...ctx.sizes.map((n) => [n]), [0, 3]];
          for (const shape of shapes) {
            for (let axis = 0; axis < shape.length; axis++) {
              // An empty axis has no index to return unless there is nothing to return.
              if (shape[axis] === 0 && shape.some((d, i) => i !== axis && d === 0) === false) continue;
              // Values from {-1, 0, 1, 2}: most rows have ties.
              const x = h.random(shape, dtype, { low: -1, high: 2, integers: true });
              checkArgReduce(h, op, x, axis);
            }
          }
          // Extreme values and negative zero.
          const x = h.from([-Infinity, 3.5, -7, 3.5, 1e30, -1e30, 0, -0], [2, 4], dtype === 'int32' ? 'float64' : dtype);
          checkArgReduce(h, op, x, 1);
          checkArgReduce(h, op, x, 0);
          if (dtype !== 'int32') {
            // The first NaN's index, wherever it stands.
            const withNaN = h.from([NaN, 1, 2, 3, 5, NaN, 9, NaN, 5, 9, -1, NaN, 1, 2, 3, 4], [4, 4], dtype);
            checkArgReduce(h, op, withNaN, 1);
            checkArgReduce(h, op, withNaN, 0);
          }
        });
      }
    }
  });
}
