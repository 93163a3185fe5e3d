import { unreachable, type ReduceOp } from '@scratchnet/backend';
import { scratch, SCRATCH_ROW } from './scratch.js';
import type { NumericArray, RangeKernel } from './types.js';

/**
 * Reduction along one axis: `x` viewed as `[outer, axisLen, inner]`, `out` as `[outer, inner]`.
 * Units are output positions (`outer * inner`).
 */
export interface ReduceArgs {
  op: ReduceOp;
  x: NumericArray;
  out: NumericArray;
  outer: number;
  axisLen: number;
  inner: number;
}

/** Inner positions reduced together, so that reading `x` walks memory row by row. */
const CHUNK = 1024;

/**
 * Every output is one float64 accumulation over the axis in increasing index order, started
 * from the op's identity (0, -Infinity, Infinity) — the same order whether positions are done
 * one by one (inner = 1) or a chunk at a time, so any split gives the same bits. `max`/`min`
 * propagate NaN, like NumPy's. `mean` divides the sum by the axis length (NaN when it is 0).
 */
export const reduce: RangeKernel<ReduceArgs> = (args, start, end) => {
  const { x, out, axisLen, inner } = args;
  const { isMax, isMin, init, divide } = modeOf(args.op);
  const divisor = divide ? axisLen : 1;
  if (inner === 1) {
    for (let o = start; o < end; o++) {
      const base = o * axisLen;
      let acc = init;
      if (isMax) {
        for (let j = 0; j < axisLen; j++) {
          const v = x[base + j]!;
          if (v > acc || v !== v) acc = v;
        }
      } else if (isMin) {
        for (let j = 0; j < axisLen; j++) {
          const v = x[base + j]!;
          if (v < acc || v !== v) acc = v;
        }
      } else {
        for (let j = 0; j < axisLen; j++) acc += x[base + j]!;
      }
      out[o] = acc / divisor;
    }
    return;
  }
  const acc = scratch(SCRATCH_ROW, Math.min(CHUNK, inner));
  let o = start;
  while (o < end) {
    const outerIdx = Math.floor(o / inner);
    const i0 = o - outerIdx * inner;
    const count = Math.min(inner - i0, end - o, CHUNK);
    acc.fill(init, 0, count);
    let src = outerIdx * axisLen * inner + i0;
    for (let j = 0; j < axisLen; j++, src += inner) {
      if (isMax) {
        for (let t = 0; t < count; t++) {
          const v = x[src + t]!;
          if (v > acc[t]! || v !== v) acc[t] = v;
        }
      } else if (isMin) {
        for (let t = 0; t < count; t++) {
          const v = x[src + t]!;
          if (v < acc[t]! || v !== v) acc[t] = v;
        }
      } else {
        for (let t = 0; t < count; t++) acc[t] = acc[t]! + x[src + t]!;
      }
    }
    for (let t = 0; t < count; t++) out[o + t] = acc[t]! / divisor;
    o += count;
  }
};

/** How the loops above compute `op`: which comparison or sum, from what, divided or not. */
function modeOf(op: ReduceOp): { isMax: boolean; isMin: boolean; init: number; divide: boolean } {
  switch (op) {
    case 'sum':
      return { isMax: false, isMin: false, init: 0, divide: false };
    case 'mean':
      return { isMax: false, isMin: false, init: 0, divide: true };
    case 'max':
      return { isMax: true, isMin: false, init: -Infinity, divide: false };
    case 'min':
      return { isMax: false, isMin: true, init: Infinity, divide: false };
    default:
      return unreachable(op, 'cpu reduce');
  }
}
