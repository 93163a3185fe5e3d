import { DTypeError, ShapeError, ValueError, assertDType, formatShape, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import { getKernels } from '../registry.js';
import type { OutOption } from './unary.js';
import { assertInPlaceOrDisjoint, assertNoOverlap, assertOptions, assertTensor, checkOut, isInt32Value } from './validate.js';

/** Sets every element of `out` to `value` (an int32 tensor takes only int32 values). Returns `out`. */
export function fill<D extends DType>(out: Tensor<D>, value: number): Tensor<D> {
  const op = 'fill';
  assertTensor(op, 'out', out);
  if (typeof value !== 'number') throw new ValueError(`${op}: value must be a number, got ${typeof value}`);
  if (out.dtype === 'int32' && !isInt32Value(value)) {
    throw new DTypeError(`${op}: value ${value} cannot be stored in an int32 tensor exactly`);
  }
  getKernels(op).fill(out, value);
  return out;
}

/** Copies `src` into `dst` element by element (same dtype and size; shapes may differ). Returns `dst`. */
export function copy<D extends DType>(src: Tensor<D>, dst: Tensor<D>): Tensor<D> {
  const op = 'copy';
  assertTensor(op, 'src', src);
  assertTensor(op, 'dst', dst);
  if (src.dtype !== dst.dtype) {
    throw new DTypeError(`${op}: dtypes differ: src is ${src.dtype}, dst is ${dst.dtype}; use cast(src, '${dst.dtype}', { out: dst })`);
  }
  if (src.size !== dst.size) {
    throw new ShapeError(
      `${op}: sizes differ: src ${formatShape(src.shape)} has ${src.size} elements, dst ${formatShape(dst.shape)} has ${dst.size}`,
    );
  }
  assertInPlaceOrDisjoint(op, 'dst', dst, 'src', src);
  getKernels(op).copy(src, dst);
  return dst;
}

/**
 * `x` converted to `dtype`: float to int32 truncates toward zero (values outside the int32 range
 * wrap, NaN becomes 0, as an Int32Array store does); float64 to float32 rounds to nearest.
 */
export function cast<T extends DType>(x: Tensor, dtype: T, options: OutOption = {}): Tensor<T> {
  const op = 'cast';
  assertTensor(op, 'x', x);
  assertDType(op, dtype);
  assertOptions(op, options);
  const given = checkOut(op, options.out, x.shape, dtype);
  if (given) assertNoOverlap(op, 'out', given, 'x', x);
  const backend = getKernels(op);
  const result = (given ?? zeros(x.shape, { dtype })) as Tensor<T>;
  backend.cast(x, result);
  return result;
}

/** A new tensor with `x`'s shape, dtype and elements. */
export function clone<D extends DType>(x: Tensor<D>): Tensor<D> {
  const op = 'clone';
  assertTensor(op, 'x', x);
  const backend = getKernels(op);
  const result = zeros(x.shape, { dtype: x.dtype });
  backend.copy(x, result);
  return result;
}
