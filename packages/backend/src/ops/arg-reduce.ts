import { ShapeError, ValueError, formatShape, normalizeAxis, sizeOf, zeros, type Tensor } from '@scratchnet/tensor';
import type { ArgReduceOp } from '../spec/reduce.js';
import { getKernels } from '../registry.js';
import { reducedShape } from './reduce.js';
import { assertBoolean, assertNoOverlap, assertOptions, assertTensor, checkOut } from './validate.js';

export interface ArgReduceOpOptions {
  /** The axis to search (negative counts from the end); the last by default. */
  axis?: number;
  /** Keep the axis as a dimension of 1. */
  keepDims?: boolean;
  /** int32 destination of the reduced shape. */
  out?: Tensor;
}

function applyArgReduce(op: ArgReduceOp, x: Tensor, options: ArgReduceOpOptions): Tensor<'int32'> {
  assertTensor(op, 'x', x);
  assertOptions(op, options);
  const { axis = -1, keepDims = false, out } = options;
  assertBoolean(op, 'keepDims', keepDims);
  if (x.rank === 0) throw new ShapeError(`${op}: x is a scalar (shape []); it needs at least one axis`);
  if (typeof axis !== 'number') throw new ValueError(`${op}: axis must be a single number, got ${String(axis)}`);
  const ax = normalizeAxis(op, axis, x.rank);
  const shape = reducedShape(x.shape, [ax], keepDims);
  if (x.shape[ax] === 0 && sizeOf(shape) > 0) {
    throw new ValueError(`${op}: axis ${ax} of shape ${formatShape(x.shape)} is empty, so there is no index to return`);
  }
  const given = checkOut(op, out, shape, 'int32');
  if (given) assertNoOverlap(op, 'out', given, 'x', x);
  const backend = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: 'int32' })) as Tensor<'int32'>;
  backend.argReduce(op, x, ax, result);
  return result;
}

/** Index of the largest element along `axis` (the first one on ties), as int32. */
export function argmax(x: Tensor, options: ArgReduceOpOptions = {}): Tensor<'int32'> {
  return applyArgReduce('argmax', x, options);
}

/** Index of the smallest element along `axis` (the first one on ties), as int32. */
export function argmin(x: Tensor, options: ArgReduceOpOptions = {}): Tensor<'int32'> {
  return applyArgReduce('argmin', x, options);
}
