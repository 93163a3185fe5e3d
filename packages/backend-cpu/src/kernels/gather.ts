import type { NumericArray, RangeKernel } from './types.js';

/** `out` row i = `x` row `indices[i]` along axis 0; units are output rows. */
export interface GatherArgs {
  x: NumericArray;
  indices: Int32Array;
  out: NumericArray;
  /** Elements per row (the product of `x.shape` after axis 0). */
  rowSize: number;
}

export const gather: RangeKernel<GatherArgs> = (args, start, end) => {
  const { x, indices, out, rowSize } = args;
  for (let i = start; i < end; i++) {
    const src = indices[i]! * rowSize;
    const dst = i * rowSize;
    for (let t = 0; t < rowSize; t++) out[dst + t] = x[src + t]!;
  }
};
