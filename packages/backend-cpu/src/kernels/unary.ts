import type { UnaryOp } from '@scratchnet/backend';
import { reluForward } from './relu.js';
import type { NumericArray, RangeKernel } from './types.js';

/** `out[i] = f(x[i])` over elements. Parameters are resolved to numbers by the planner. */
export interface UnaryArgs {
  op: UnaryOp;
  x: NumericArray;
  out: NumericArray;
  /** Slope for `leakyRelu`, factor for `scale`. */
  alpha: number;
  /** Bounds for `clip`. */
  min: number;
  max: number;
}

/** Slope of `leakyRelu` when none is given (PyTorch's and tf.nn's small-slope convention). */
export const DEFAULT_LEAKY_RELU_ALPHA = 0.01;

// Ops become small integers once per call: after a postMessage the op string is a fresh copy,
// and an integer switch inside the loop costs the same whatever the string's history.
const CODES: Record<UnaryOp, number> = {
  neg: 0, abs: 1, sign: 2, exp: 3, log: 4, sqrt: 5, square: 6, reciprocal: 7,
  relu: 8, leakyRelu: 9, sigmoid: 10, tanh: 11, clip: 12, scale: 13,
};

/**
 * One element of a unary op, computed in float64. NaN propagates through every op: `relu` and
 * `clip` are written so that a NaN input fails every comparison and comes out unchanged.
 */
export function unaryScalar(code: number, v: number, alpha: number, min: number, max: number): number {
  switch (code) {
    case 0: return -v;
    case 1: return Math.abs(v);
    case 2: return Math.sign(v);
    case 3: return Math.exp(v);
    case 4: return Math.log(v);
    case 5: return Math.sqrt(v);
    case 6: return v * v;
    case 7: return 1 / v;
    case 8: return v <= 0 ? 0 : v;
    case 9: return v > 0 ? v : alpha * v;
    case 10: return sigmoid(v);
    case 11: return Math.tanh(v);
    case 12: return v < min ? min : v > max ? max : v;
    default: return alpha * v;
  }
}

/** Logistic function without overflow: exp is only ever taken of a non-positive number. */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

const RELU = CODES.relu;

export const unary: RangeKernel<UnaryArgs> = (args, start, end) => {
  const { x, out, alpha, min, max } = args;
  const code = CODES[args.op];
  if (code === RELU) {
    reluForward(x, out, start, end);
    return;
  }
  for (let i = start; i < end; i++) out[i] = unaryScalar(code, x[i]!, alpha, min, max);
};
