import { scratch, SCRATCH_ROW } from './scratch.js';
import { rowMax, shiftedExp } from './softmax.js';
import type { FloatArray, RangeKernel } from './types.js';

/**
 * Fused softmax + cross-entropy per row of `logits` `[rows, cols]`. Dense `labels` are
 * `[rows, cols]` targets; sparse labels are `[rows]` int32 class indices.
 */
export interface SoftmaxCrossentropyArgs {
  logits: FloatArray;
  labels: FloatArray | Int32Array;
  sparse: boolean;
  losses: FloatArray;
  dlogits: FloatArray | null;
  gradScale: number;
  rows: number;
  cols: number;
}

/**
 * Per row, with `s = z - max(z)` and `lse = log(sum(exp(s)))`: the loss is
 * `sum_j y_j * (lse - s_j)` (that is `-sum y log softmax(z)`, equal to `lse(z) - sum(y z)` when
 * the targets sum to 1), and the gradient `(softmax(z) - y) * gradScale`. Every exponent is
 * of a non-positive number and every term is finite for finite logits, whatever their size.
 * Each row is written independently, never summed across rows, so any split gives the same bits.
 */
export const softmaxCrossentropy: RangeKernel<SoftmaxCrossentropyArgs> = (args, start, end) => {
  const { logits, labels, sparse, losses, dlogits, gradScale, cols } = args;
  const e = scratch(SCRATCH_ROW, cols);
  for (let r = start; r < end; r++) {
    const o = r * cols;
    const max = rowMax(logits, o, cols);
    const sum = shiftedExp(logits, o, cols, max, e);
    const lse = Math.log(sum);
    let loss = 0;
    if (sparse) {
      const label = labels[r]!;
      loss = lse - (logits[o + label]! - max);
    } else {
      // Terms with a zero target are left out (as the contract says): a logit of -Infinity
      // with target 0 costs nothing, rather than 0 * Infinity = NaN.
      for (let j = 0; j < cols; j++) {
        const y = labels[o + j]!;
        if (y !== 0) loss += y * (lse - (logits[o + j]! - max));
      }
    }
    losses[r] = loss;
    if (dlogits !== null) {
      if (sparse) {
        const label = labels[r]!;
        for (let j = 0; j < cols; j++) dlogits[o + j] = (e[j]! / sum - (j === label ? 1 : 0)) * gradScale;
      } else {
        for (let j = 0; j < cols; j++) dlogits[o + j] = (e[j]! / sum - labels[o + j]!) * gradScale;
      }
    }
  }
};
