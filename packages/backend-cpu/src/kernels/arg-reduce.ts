import { unreachable, type ArgReduceOp } from '@scratchnet/backend';
import type { NumericArray, RangeKernel } from './types.js';

/** Index of the max (min) along one axis, viewed as for `reduce`; units are output positions. */
export interface ArgReduceArgs {
  op: ArgReduceOp;
  x: NumericArray;
  out: Int32Array;
  outer: number;
  axisLen: number;
  inner: number;
}

/**
 * First index on ties. NaN counts as the extreme either way, so the first NaN's index is the
 * answer (NumPy's `argmax`/`argmin` rule). An empty axis has no index and gives -1.
 */
export const argReduce: RangeKernel<ArgReduceArgs> = (args, start, end) => {
  const { x, out, axisLen, inner } = args;
  const isMax = isArgmax(args.op);
  for (let o = start; o < end; o++) {
    if (axisLen === 0) {
      out[o] = -1;
      continue;
    }
    const outerIdx = Math.floor(o / inner);
    const base = outerIdx * axisLen * inner + (o - outerIdx * inner);
    let best = x[base]!;
    let index = 0;
    if (best === best) {
      for (let j = 1, src = base + inner; j < axisLen; j++, src += inner) {
        const v = x[src]!;
        if (v !== v) {
          index = j;
          break;
        }
        if (isMax ? v > best : v < best) {
          best = v;
          index = j;
        }
      }
    }
    out[o] = index;
  }
};

function isArgmax(op: ArgReduceOp): boolean {
  switch (op) {
    case 'argmax':
      return true;
    case 'argmin':
      return false;
    default:
      return unreachable(op, 'cpu argReduce');
  }
}
