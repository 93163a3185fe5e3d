import { scratch, SCRATCH_ROW } from './scratch.js';
import type { FloatArray, RangeKernel } from './types.js';

/** Softmax or log-softmax over the last axis; units are rows (`rows * cols` = size). */
export interface SoftmaxArgs {
  x: FloatArray;
  out: FloatArray;
  rows: number;
  cols: number;
}

/** Backward of softmax from its output: `dx = y * (dy - sum(dy * y))` per row. */
export interface SoftmaxBackwardArgs {
  y: FloatArray;
  dy: FloatArray;
  dx: FloatArray;
  rows: number;
  cols: number;
}

/** Row maximum; NaN wins, so a row holding NaN comes out NaN rather than silently finite. */
export function rowMax(x: FloatArray, offset: number, cols: number): number {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) {
    const v = x[offset + j]!;
    if (v > max || v !== v) max = v;
  }
  return max;
}

/**
 * Writes exp(x - max) for one row into `e` (float64, so float32 rows are not rounded before
 * the division) and returns their sum, accumulated in increasing column order.
 */
export function shiftedExp(x: FloatArray, offset: number, cols: number, max: number, e: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < cols; j++) {
    const v = Math.exp(x[offset + j]! - max);
    e[j] = v;
    sum += v;
  }
  return sum;
}

export const softmax: RangeKernel<SoftmaxArgs> = (args, start, end) => {
  const { x, out, cols } = args;
  const e = scratch(SCRATCH_ROW, cols);
  for (let r = start; r < end; r++) {
    const o = r * cols;
    const sum = shiftedExp(x, o, cols, rowMax(x, o, cols), e);
    for (let j = 0; j < cols; j++) out[o + j] = e[j]! / sum;
  }
};

export const logSoftmax: RangeKernel<SoftmaxArgs> = (args, start, end) => {
  const { x, out, cols } = args;
  const e = scratch(SCRATCH_ROW, cols);
  for (let r = start; r < end; r++) {
    const o = r * cols;
    const max = rowMax(x, o, cols);
    const logSum = Math.log(shiftedExp(x, o, cols, max, e));
    for (let j = 0; j < cols; j++) out[o + j] = x[o + j]! - max - logSum;
  }
};

export const softmaxBackward: RangeKernel<SoftmaxBackwardArgs> = (args, start, end) => {
  const { y, dy, dx, cols } = args;
  for (let r = start; r < end; r++) {
    const o = r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += dy[o + j]! * y[o + j]!;
    for (let j = 0; j < cols; j++) dx[o + j] = y[o + j]! * (dy[o + j]! - dot);
  }
};
