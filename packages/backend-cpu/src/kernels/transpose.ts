import type { NumericArray, RangeKernel } from './types.js';

/** `out` = `x` with axes permuted; units are elements of `out`. */
export interface TransposeArgs {
  x: NumericArray;
  out: NumericArray;
  /** `out`'s shape. */
  shape: number[];
  /** For each axis of `out`, the stride in `x` of the axis it comes from. */
  strides: number[];
}

/** Walks `out` in order a row of its last axis at a time, reading `x` through the strides. */
export const transpose: RangeKernel<TransposeArgs> = (args, start, end) => {
  const { x, out, shape, strides } = args;
  const rank = shape.length;
  if (rank === 0) {
    if (start < end) out[0] = x[0]!;
    return;
  }
  const last = rank - 1;
  const inner = shape[last]!;
  const step = strides[last]!;
  let i = start;
  while (i < end) {
    let rem = Math.floor(i / inner);
    const c = i - rem * inner;
    let src = c * step;
    for (let axis = last - 1; axis >= 0; axis--) {
      const dim = shape[axis]!;
      const q = Math.floor(rem / dim);
      src += (rem - q * dim) * strides[axis]!;
      rem = q;
    }
    const count = Math.min(inner - c, end - i);
    for (let t = 0; t < count; t++, src += step) out[i + t] = x[src]!;
    i += count;
  }
};
