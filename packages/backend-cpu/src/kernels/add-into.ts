import type { FloatArray, RangeKernel } from './types.js';

/**
 * `out[i] = (accumulate ? out[i] : 0) + sum[i]`, the sum computed in float64 and rounded once:
 * how a gradient summed in float64 scratch (over chunks of a batch) lands in its tensor.
 * Units are elements.
 */
export interface AddIntoArgs {
  sum: Float64Array;
  out: FloatArray;
  accumulate: boolean;
}

export const addInto: RangeKernel<AddIntoArgs> = (args, start, end) => {
  const { sum, out } = args;
  if (args.accumulate) for (let i = start; i < end; i++) out[i] = out[i]! + sum[i]!;
  else for (let i = start; i < end; i++) out[i] = sum[i]!;
};
