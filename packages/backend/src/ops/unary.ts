import { ValueError, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import type { UnaryParams } from '../spec/params.js';
import { UNARY_OPS, isUnaryOp, unarySpec, type UnaryOp } from '../spec/unary.js';
import { getKernels } from '../registry.js';
import { checkUnaryParams } from './unary-params.js';
import { assertFinite, assertFloat, assertInPlaceOrDisjoint, assertOptions, assertTensor, checkOut, describeName } from './validate.js';

/** Options of every elementwise op: `out` (same shape and dtype as the input; may be the input itself). */
export interface OutOption {
  out?: Tensor;
}

/** Options of `unaryOp`: the op's parameters and a destination. */
export interface UnaryOpOptions extends OutOption {
  /** The op's parameters (`alpha`, `min`, `max`), as its row in `UNARY_SPECS` lists them. */
  params?: UnaryParams;
}

/**
 * Any unary op by name, e.g. `unaryOp('elu', x, { params: { alpha: 0.5 } })`: what layers use
 * to apply an activation chosen by name. Float-only ops refuse int32; the others compute exactly
 * and store through the typed array (so `scale` of int32 by a fraction truncates toward zero).
 */
export function unaryOp<D extends DType>(op: UnaryOp, x: Tensor<D>, options: UnaryOpOptions = {}): Tensor<D> {
  if (!isUnaryOp(op)) {
    throw new ValueError(`unaryOp: unknown op ${describeName(op)}; expected one of ${UNARY_OPS.join(', ')}`);
  }
  assertOptions(op, options);
  return applyUnary(op, x, options, checkUnaryParams(op, op, options.params));
}

function applyUnary<D extends DType>(op: UnaryOp, x: Tensor<D>, options: OutOption | undefined, params: UnaryParams): Tensor<D> {
  assertTensor(op, 'x', x);
  assertOptions(op, options);
  if (unarySpec(op).floatOnly) assertFloat(op, 'x', x);
  const given = checkOut(op, options?.out, x.shape, x.dtype);
  if (given) assertInPlaceOrDisjoint(op, 'out', given, 'x', x);
  const kernels = getKernels(op);
  const result = (given ?? zeros(x.shape, { dtype: x.dtype })) as Tensor<D>;
  kernels.unary(op, x, result, params);
  return result;
}

const plain = <D extends DType>(op: UnaryOp, x: Tensor<D>, options: OutOption | undefined): Tensor<D> => applyUnary(op, x, options, {});

/** `-x`. */
export function neg<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('neg', x, options);
}

/** `|x|`. */
export function abs<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('abs', x, options);
}

/** -1, 0 or 1 by the sign of `x`. */
export function sign<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('sign', x, options);
}

/** `e^x` (float only). */
export function exp<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('exp', x, options);
}

/** Natural logarithm (float only; NaN below 0, -Infinity at 0). */
export function log<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('log', x, options);
}

/** Square root (float only; NaN below 0). */
export function sqrt<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('sqrt', x, options);
}

/** `x²`. */
export function square<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('square', x, options);
}

/** `1 / x` (float only). */
export function reciprocal<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('reciprocal', x, options);
}

/** `max(x, 0)`. */
export function relu<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('relu', x, options);
}

/** `1 / (1 + e^-x)` (float only). */
export function sigmoid<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('sigmoid', x, options);
}

/** Hyperbolic tangent (float only). */
export function tanh<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return plain('tanh', x, options);
}

/** `x` where `x > 0`, else `alpha * x` (float only); `alpha` 0.3 by default. */
export function leakyRelu<D extends DType>(x: Tensor<D>, alpha?: number, options?: OutOption): Tensor<D> {
  return applyUnary('leakyRelu', x, options, checkUnaryParams('leakyRelu', 'leakyRelu', { alpha }));
}

/** `x` where `x > 0`, else `alpha * (e^x - 1)` (float only); `alpha` >= 0, 1 by default. */
export function elu<D extends DType>(x: Tensor<D>, alpha?: number, options?: OutOption): Tensor<D> {
  return applyUnary('elu', x, options, checkUnaryParams('elu', 'elu', { alpha }));
}

/** `min(max(x, min), max)`. Bounds may be infinite; `min` must not exceed `max`. */
export function clip<D extends DType>(x: Tensor<D>, min: number, max: number, options?: OutOption): Tensor<D> {
  return applyUnary('clip', x, options, checkUnaryParams('clip', 'clip', { min, max }));
}

/** `factor * x`. */
export function scale<D extends DType>(x: Tensor<D>, factor: number, options?: OutOption): Tensor<D> {
  // Named as the caller knows it (the spec calls the factor alpha).
  assertFinite('scale', 'factor', factor);
  return applyUnary('scale', x, options, checkUnaryParams('scale', 'scale', { alpha: factor }));
}
