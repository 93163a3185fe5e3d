import type { NumericArray, RangeKernel } from './types.js';

/** `out[i] = cond[i] !== 0 ? a[i] : b[i]` over elements (a NaN condition counts as true). */
export interface WhereArgs {
  cond: NumericArray;
  a: NumericArray;
  b: NumericArray;
  out: NumericArray;
}

export const where: RangeKernel<WhereArgs> = (args, start, end) => {
  const { cond, a, b, out } = args;
  for (let i = start; i < end; i++) out[i] = cond[i] !== 0 ? a[i]! : b[i]!;
};
