import { DTypeError, ShapeError, ValueError, formatShape, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import { getKernels } from '../registry.js';
import type { OutOption } from './unary.js';
import { assertNoOverlap, assertOptions, assertTensor, checkOut } from './validate.js';

/** Rows of `x` (along axis 0) picked by `indices` (int32 `[m]`, each in `[0, x.shape[0])`): `[m, ...x.shape[1:]]`. */
export function gather<D extends DType>(x: Tensor<D>, indices: Tensor, options: OutOption = {}): Tensor<D> {
  const op = 'gather';
  assertTensor(op, 'x', x);
  assertTensor(op, 'indices', indices);
  assertOptions(op, options);
  if (x.rank === 0) throw new ShapeError(`${op}: x is a scalar (shape []); it has no rows to gather`);
  if (indices.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, got ${indices.dtype}`);
  if (indices.rank !== 1) throw new ShapeError(`${op}: indices must be 1-D, got shape ${formatShape(indices.shape)}`);
  const rows = x.shape[0]!;
  const idx = indices.data;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= rows) {
      const valid = rows === 0 ? 'it has no rows' : `rows 0..${rows - 1}`;
      throw new ValueError(`${op}: index ${v} at position ${i} is out of range for x ${formatShape(x.shape)} (${valid})`);
    }
  }
  const shape = [idx.length, ...x.shape.slice(1)];
  const given = checkOut(op, options.out, shape, x.dtype);
  if (given) {
    assertNoOverlap(op, 'out', given, 'x', x);
    assertNoOverlap(op, 'out', given, 'indices', indices);
  }
  const backend = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: x.dtype })) as Tensor<D>;
  backend.gather(x, indices, result);
  return result;
}
