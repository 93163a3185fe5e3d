import { ValueError, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import type { UnaryOp, UnaryParams } from '../backend.js';
import { getBackend } from '../registry.js';
import { assertFinite, assertFloat, assertInPlaceOrDisjoint, assertOptions, assertTensor, checkOut } from './validate.js';

/** Options of every elementwise op: `out` (same shape and dtype as the input; may be the input itself). */
export interface OutOption {
  out?: Tensor;
}

/**
 * Ops whose result is not an integer for integer input. The others (`neg`, `abs`, `sign`,
 * `square`, `relu`, `clip`, `scale`) also accept int32: their results are computed exactly and
 * stored by the typed array, so `scale` by a fraction truncates toward zero and a `square`
 * beyond the int32 range wraps (as any Int32Array store does).
 */
const FLOAT_ONLY: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['exp', 'log', 'sqrt', 'reciprocal', 'sigmoid', 'tanh', 'leakyRelu']);

function applyUnary<D extends DType>(op: UnaryOp, x: Tensor<D>, options: OutOption | undefined, params?: UnaryParams): Tensor<D> {
  assertTensor(op, 'x', x);
  assertOptions(op, options);
  if (FLOAT_ONLY.has(op)) assertFloat(op, 'x', x);
  const given = checkOut(op, options?.out, x.shape, x.dtype);
  if (given) assertInPlaceOrDisjoint(op, 'out', given, 'x', x);
  const backend = getBackend(op);
  const result = (given ?? zeros(x.shape, { dtype: x.dtype })) as Tensor<D>;
  backend.unary(op, x, result, params);
  return result;
}

/** `-x`. */
export function neg<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('neg', x, options);
}

/** `|x|`. */
export function abs<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('abs', x, options);
}

/** -1, 0 or 1 by the sign of `x`. */
export function sign<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('sign', x, options);
}

/** `e^x` (float only). */
export function exp<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('exp', x, options);
}

/** Natural logarithm (float only; NaN below 0, -Infinity at 0). */
export function log<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('log', x, options);
}

/** Square root (float only; NaN below 0). */
export function sqrt<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('sqrt', x, options);
}

/** `x²`. */
export function square<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('square', x, options);
}

/** `1 / x` (float only). */
export function reciprocal<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('reciprocal', x, options);
}

/** `max(x, 0)`. */
export function relu<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('relu', x, options);
}

/** `1 / (1 + e^-x)` (float only). */
export function sigmoid<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('sigmoid', x, options);
}

/** Hyperbolic tangent (float only). */
export function tanh<D extends DType>(x: Tensor<D>, options?: OutOption): Tensor<D> {
  return applyUnary('tanh', x, options);
}

/** `x` where `x > 0`, else `alpha * x` (float only). */
export function leakyRelu<D extends DType>(x: Tensor<D>, alpha: number, options?: OutOption): Tensor<D> {
  assertFinite('leakyRelu', 'alpha', alpha);
  return applyUnary('leakyRelu', x, options, { alpha });
}

/** `min(max(x, min), max)`. Bounds may be infinite; `min` must not exceed `max`. */
export function clip<D extends DType>(x: Tensor<D>, min: number, max: number, options?: OutOption): Tensor<D> {
  for (const [name, v] of [['min', min], ['max', max]] as const) {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new ValueError(`clip: ${name} must be a number, got ${String(v)}`);
  }
  if (min > max) throw new ValueError(`clip: min ${min} is greater than max ${max}`);
  return applyUnary('clip', x, options, { min, max });
}

/** `factor * x`. */
export function scale<D extends DType>(x: Tensor<D>, factor: number, options?: OutOption): Tensor<D> {
  assertFinite('scale', 'factor', factor);
  return applyUnary('scale', x, options, { alpha: factor });
}
