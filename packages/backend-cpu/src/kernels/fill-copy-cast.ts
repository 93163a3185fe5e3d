import type { NumericArray, RangeKernel } from './types.js';

/** Every element of `out` set to `value`; units are elements. */
export interface FillArgs {
  out: NumericArray;
  value: number;
}

/** `dst[i] = src[i]`, converted to `dst`'s element type; units are elements. */
export interface CopyArgs {
  src: NumericArray;
  dst: NumericArray;
}

export const fill: RangeKernel<FillArgs> = (args, start, end) => {
  args.out.fill(args.value, start, end);
};

/**
 * Copy and cast are one kernel: a typed array's `set` converts each element to the destination
 * type, which for int32 is ECMAScript's ToInt32 — truncation toward zero, NaN and ±Infinity to 0,
 * and values outside the int32 range wrapped modulo 2^32. Float64 to float32 rounds to nearest.
 */
export const copy: RangeKernel<CopyArgs> = (args, start, end) => {
  if (start >= end) return;
  args.dst.set(args.src.subarray(start, end), start);
};
