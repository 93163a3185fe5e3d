import type { NumericArray, RangeKernel } from '@scratchnet/backend-cpu';

/** `out[i] = cond[i] != 0 ? a[i] : b[i]` over elements; all four the same size. */
export interface WhereArgs {
  /** Any dtype; an element counts as true when it is not 0 (NaN is true, as in NumPy). */
  cond: NumericArray;
  a: NumericArray;
  b: NumericArray;
  out: NumericArray;
}

// A selection moves bits and does no arithmetic: as JavaScript over the memory it runs at about
// the speed of the copies it is made of.
export const where: RangeKernel<WhereArgs> = (args, start, end) => {
  const { cond, a, b, out } = args;
  for (let i = start; i < end; i++) out[i] = cond[i] !== 0 ? a[i]! : b[i]!;
};
