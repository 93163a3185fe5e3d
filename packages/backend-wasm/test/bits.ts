import type { TypedArray } from '@scratchnet/tensor';

/**
 * Index of the first element whose bits differ, or -1, where any NaN matches any NaN: the cpu
 * backend's NaNs come from JavaScript arithmetic and typed-array stores, the kernel module's from
 * WebAssembly instructions, and neither language fixes a NaN's sign or payload. Everything else
 * counts, the sign of zero included.
 */
export function firstDifferenceUpToNaN(a: TypedArray, b: TypedArray): number {
  if (a.constructor !== b.constructor || a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Object.is(x, y)) continue;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    return i;
  }
  return -1;
}
