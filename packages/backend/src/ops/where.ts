import { ShapeError, broadcastShapes, formatShape, ones, shapesEqual, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import type { Kernels } from '../backend.js';
import { getKernels } from '../registry.js';
import type { OutOption } from './unary.js';
import { assertInPlaceOrDisjoint, assertNoOverlap, assertOptions, assertSameDType, assertTensor, checkOut } from './validate.js';

/**
 * `x` expanded to `shape`: `x * ones(shape)`, which keeps every value's bits (-0 and NaN
 * included) and broadcasts as `binary` does (the ones have the full shape, so the broadcast of
 * the operands is the output's shape, as `binary` expects).
 */
function expand(k: Kernels, x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const out = zeros(shape, { dtype: x.dtype });
  k.binary('mul', x, ones(shape, { dtype: x.dtype }), out);
  return out;
}

/**
 * `a` where `cond` is non-zero, else `b`, elementwise; the three broadcast together (NumPy's
 * rule). `cond` may have any dtype; `a` and `b` share one, which the result has.
 */
export function where<D extends DType>(cond: Tensor, a: Tensor<D>, b: Tensor<D>, options: OutOption = {}): Tensor<D> {
  const op = 'where';
  assertTensor(op, 'cond', cond);
  assertTensor(op, 'a', a);
  assertTensor(op, 'b', b);
  assertOptions(op, options);
  assertSameDType(op, 'a', a, 'b', b);
  let shape: number[];
  try {
    shape = broadcastShapes(op, broadcastShapes(op, cond.shape, a.shape), b.shape);
  } catch {
    throw new ShapeError(
      `${op}: cond ${formatShape(cond.shape)}, a ${formatShape(a.shape)} and b ${formatShape(b.shape)} do not broadcast together`,
    );
  }
  const given = checkOut(op, options.out, shape, a.dtype);
  if (given) {
    for (const [name, input] of [['cond', cond], ['a', a], ['b', b]] as const) {
      if (shapesEqual(input.shape, shape) && input.dtype === given.dtype) assertInPlaceOrDisjoint(op, 'out', given, name, input);
      else assertNoOverlap(op, 'out', given, name, input);
    }
  }
  const k = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: a.dtype })) as Tensor<D>;
  k.where(expand(k, cond, shape), expand(k, a, shape), expand(k, b, shape), result);
  return result;
}
