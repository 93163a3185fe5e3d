import { ShapeError, ValueError, formatShape, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import { getKernels } from '../registry.js';
import type { OutOption } from './unary.js';
import { assertNoOverlap, assertOptions, assertTensor, checkOut } from './validate.js';

/**
 * `x` with its axes permuted: `out.shape[i] = x.shape[perm[i]]`. Without `perm` the axes are
 * reversed (a matrix transpose for 2-D). Always a copy (tensors are contiguous).
 */
export function transpose<D extends DType>(x: Tensor<D>, perm?: readonly number[], options: OutOption = {}): Tensor<D> {
  const op = 'transpose';
  assertTensor(op, 'x', x);
  assertOptions(op, options);
  const rank = x.rank;
  const p = perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (!Array.isArray(p)) throw new ValueError(`${op}: perm must be an array of axes, got ${String(perm)}`);
  if (p.length !== rank) {
    throw new ShapeError(`${op}: perm [${p.join(',')}] has ${p.length} axes, x ${formatShape(x.shape)} has ${rank}`);
  }
  const seen = new Set<number>();
  for (const axis of p as readonly number[]) {
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank || seen.has(axis)) {
      throw new ValueError(`${op}: perm [${p.join(',')}] is not a permutation of 0..${rank - 1}`);
    }
    seen.add(axis);
  }
  const shape = p.map((axis: number) => x.shape[axis]!);
  const given = checkOut(op, options.out, shape, x.dtype);
  if (given) assertNoOverlap(op, 'out', given, 'x', x);
  const backend = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: x.dtype })) as Tensor<D>;
  backend.transpose(x, p, result);
  return result;
}
