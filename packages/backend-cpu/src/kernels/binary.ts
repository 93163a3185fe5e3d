import { BackendError, unreachable, type BinaryOp } from '@scratchnet/backend';
import type { NumericArray, RangeKernel } from './types.js';

/**
 * How `a` and `b` map onto `out`, decided once by the planner:
 * - `same`: both have `out`'s size; element i of each.
 * - `scalarA` / `scalarB`: that operand has one element.
 * - `rowA` / `rowB`: out is `[rows, cols]` (after collapsing), that operand is one `[cols]` row
 *   repeated (a bias), the other is full.
 * - `strided`: the general case over `shape`, with per-axis element strides (0 where broadcast).
 */
export type BinaryLayout = 'same' | 'scalarA' | 'scalarB' | 'rowA' | 'rowB' | 'strided';

/** `out[i] = f(a[ia], b[ib])` over elements of `out`, NumPy broadcasting. */
export interface BinaryArgs {
  op: BinaryOp;
  a: NumericArray;
  b: NumericArray;
  out: NumericArray;
  layout: BinaryLayout;
  /** `out`'s shape with size-1 axes dropped and contiguous axes merged. */
  shape: number[];
  aStrides: number[];
  bStrides: number[];
}

// Ops become small integers once per call (a per-element switch over an integer is as cheap as a
// loop per op, and there are six layouts to loop over). The table is exhaustive by its type; a
// code without a case below throws rather than computing another op.
const CODES: { readonly [K in BinaryOp]: number } = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
  squaredDifference: 7, equal: 8, greater: 9, less: 10,
};

/**
 * One element, in float64. `maximum`/`minimum` propagate NaN (as NumPy's do); comparisons give
 * 1 or 0. For int32 tensors the float64 result is stored by the typed array, which truncates
 * toward zero (so `div` is truncating division, and x/0 stores 0).
 */
export function binaryScalar(code: number, x: number, y: number): number {
  switch (code) {
    case 0: return x + y;
    case 1: return x - y;
    case 2: return x * y;
    case 3: return x / y;
    case 4: return Math.pow(x, y);
    case 5: return Math.max(x, y);
    case 6: return Math.min(x, y);
    case 7: { const d = x - y; return d * d; }
    case 8: return x === y ? 1 : 0;
    case 9: return x > y ? 1 : 0;
    case 10: return x < y ? 1 : 0;
    default: throw new BackendError(`cpu binary: no case for op code ${code}`);
  }
}

export const binary: RangeKernel<BinaryArgs> = (args, start, end) => {
  const { a, b, out } = args;
  const code = CODES[args.op];
  switch (args.layout) {
    case 'same':
      for (let i = start; i < end; i++) out[i] = binaryScalar(code, a[i]!, b[i]!);
      return;
    case 'scalarA': {
      const x = a[0]!;
      for (let i = start; i < end; i++) out[i] = binaryScalar(code, x, b[i]!);
      return;
    }
    case 'scalarB': {
      const y = b[0]!;
      for (let i = start; i < end; i++) out[i] = binaryScalar(code, a[i]!, y);
      return;
    }
    case 'rowA':
    case 'rowB': {
      const cols = args.shape[1]!;
      const rowB = args.layout === 'rowB';
      let i = start;
      let c = start % cols;
      while (i < end) {
        const count = Math.min(cols - c, end - i);
        if (rowB) {
          for (let t = 0; t < count; t++) out[i + t] = binaryScalar(code, a[i + t]!, b[c + t]!);
        } else {
          for (let t = 0; t < count; t++) out[i + t] = binaryScalar(code, a[c + t]!, b[i + t]!);
        }
        i += count;
        c = 0;
      }
      return;
    }
    case 'strided':
      strided(args, code, start, end);
      return;
    default:
      unreachable(args.layout, 'cpu binary layout');
  }
};

/** The general broadcast walk: a row of the last axis at a time, offsets recomputed per row. */
function strided(args: BinaryArgs, code: number, start: number, end: number): void {
  const { a, b, out, shape, aStrides, bStrides } = args;
  const rank = shape.length;
  const last = rank - 1;
  const inner = shape[last]!;
  const sa = aStrides[last]!;
  const sb = bStrides[last]!;
  let i = start;
  while (i < end) {
    // Coordinates of element i, and the input offsets of that position.
    let rem = Math.floor(i / inner);
    const c = i - rem * inner;
    let ia = c * sa;
    let ib = c * sb;
    for (let axis = last - 1; axis >= 0; axis--) {
      const dim = shape[axis]!;
      const q = Math.floor(rem / dim);
      const coord = rem - q * dim;
      ia += coord * aStrides[axis]!;
      ib += coord * bStrides[axis]!;
      rem = q;
    }
    const count = Math.min(inner - c, end - i);
    for (let t = 0; t < count; t++, ia += sa, ib += sb) out[i + t] = binaryScalar(code, a[ia]!, b[ib]!);
    i += count;
  }
}
