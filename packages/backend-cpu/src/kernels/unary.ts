import { sigmoidScalar, unreachable, type UnaryOp } from '@scratchnet/backend';
import { reluForward } from './relu.js';
import type { NumericArray, RangeKernel } from './types.js';

/** `out[i] = f(x[i])` over elements. Parameters are resolved to numbers by the planner. */
export interface UnaryArgs {
  op: UnaryOp;
  x: NumericArray;
  out: NumericArray;
  /** Slope for `leakyRelu`, saturation for `elu`, factor for `scale`. */
  alpha: number;
  /** Bounds for `clip`. */
  min: number;
  max: number;
}

/**
 * One loop per op, chosen once per call: each loop is small and monomorphic, and the switch
 * over the op is exhaustive. Every element is computed in float64 as `UNARY_SPECS[op].forward`
 * defines it and rounded once on store; NaN propagates (`relu` and `clip` are written so that a
 * NaN fails every comparison and comes out unchanged).
 */
export const unary: RangeKernel<UnaryArgs> = (args, start, end) => {
  const { x, out, alpha, min, max } = args;
  const op = args.op;
  switch (op) {
    case 'neg':
      for (let i = start; i < end; i++) out[i] = -x[i]!;
      return;
    case 'abs':
      for (let i = start; i < end; i++) out[i] = Math.abs(x[i]!);
      return;
    case 'sign':
      for (let i = start; i < end; i++) out[i] = Math.sign(x[i]!);
      return;
    case 'exp':
      for (let i = start; i < end; i++) out[i] = Math.exp(x[i]!);
      return;
    case 'log':
      for (let i = start; i < end; i++) out[i] = Math.log(x[i]!);
      return;
    case 'sqrt':
      for (let i = start; i < end; i++) out[i] = Math.sqrt(x[i]!);
      return;
    case 'square':
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        out[i] = v * v;
      }
      return;
    case 'reciprocal':
      for (let i = start; i < end; i++) out[i] = 1 / x[i]!;
      return;
    case 'relu':
      reluForward(x, out, start, end);
      return;
    case 'leakyRelu':
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        out[i] = v > 0 ? v : alpha * v;
      }
      return;
    case 'elu':
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        out[i] = v > 0 ? v : alpha * Math.expm1(v);
      }
      return;
    case 'sigmoid':
      for (let i = start; i < end; i++) out[i] = sigmoidScalar(x[i]!);
      return;
    case 'tanh':
      for (let i = start; i < end; i++) out[i] = Math.tanh(x[i]!);
      return;
    case 'clip':
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        out[i] = v < min ? min : v > max ? max : v;
      }
      return;
    case 'scale':
      for (let i = start; i < end; i++) out[i] = alpha * x[i]!;
      return;
    default:
      unreachable(op, 'cpu unary');
  }
};
