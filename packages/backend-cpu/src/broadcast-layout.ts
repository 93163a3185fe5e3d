import { sizeOf, type Shape } from '@scratchnet/tensor';
import type { BinaryLayout } from './kernels/binary.js';

export interface BroadcastLayout {
  layout: BinaryLayout;
  shape: number[];
  aStrides: number[];
  bStrides: number[];
}

/**
 * How `a` and `b` index into `out` (they broadcast to it by NumPy's rule; not re-checked).
 * Size-1 axes of `out` are dropped and neighbouring axes merged while both inputs stay
 * contiguous across them, so `[n,c] + [c]` becomes a row layout and most broadcasts walk a
 * long innermost run.
 */
export function broadcastLayout(aShape: Shape, bShape: Shape, outShape: Shape): BroadcastLayout {
  const aSize = sizeOf(aShape);
  const bSize = sizeOf(bShape);
  const outSize = sizeOf(outShape);
  const trivial = { shape: [outSize], aStrides: [1], bStrides: [1] };
  if (aSize === outSize && bSize === outSize) return { layout: 'same', ...trivial };
  if (bSize === 1) return { layout: 'scalarB', ...trivial };
  if (aSize === 1) return { layout: 'scalarA', ...trivial };

  const aFull = alignedStrides(aShape, outShape);
  const bFull = alignedStrides(bShape, outShape);
  const shape: number[] = [];
  const aStrides: number[] = [];
  const bStrides: number[] = [];
  for (let d = 0; d < outShape.length; d++) {
    const dim = outShape[d]!;
    if (dim === 1) continue;
    const sa = aFull[d]!;
    const sb = bFull[d]!;
    const last = shape.length - 1;
    if (last >= 0 && aStrides[last] === sa * dim && bStrides[last] === sb * dim) {
      shape[last] = shape[last]! * dim;
      aStrides[last] = sa;
      bStrides[last] = sb;
    } else {
      shape.push(dim);
      aStrides.push(sa);
      bStrides.push(sb);
    }
  }
  if (shape.length === 2) {
    const cols = shape[1]!;
    if (aStrides[0] === cols && aStrides[1] === 1 && bStrides[0] === 0 && bStrides[1] === 1) {
      return { layout: 'rowB', shape, aStrides, bStrides };
    }
    if (bStrides[0] === cols && bStrides[1] === 1 && aStrides[0] === 0 && aStrides[1] === 1) {
      return { layout: 'rowA', shape, aStrides, bStrides };
    }
  }
  return { layout: 'strided', shape, aStrides, bStrides };
}

/** Strides of `shape` in elements, per axis of `outShape` (right-aligned), 0 where broadcast. */
function alignedStrides(shape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const offset = rank - shape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const dim = shape[d]!;
    strides[d + offset] = dim === 1 ? 0 : s;
    s *= dim;
  }
  return strides;
}
