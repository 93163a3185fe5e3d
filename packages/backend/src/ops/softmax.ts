import { ShapeError, normalizeAxis, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import type { Kernels } from '../backend.js';
import { getKernels } from '../registry.js';
import {
  assertFloat,
  assertInPlaceOrDisjoint,
  assertNoOverlap,
  assertOptions,
  assertSameDType,
  assertSameShape,
  assertTensor,
  checkOut,
} from './validate.js';

export interface SoftmaxOpOptions {
  /** The axis to normalize over; the last by default. */
  axis?: number;
  /** Destination shaped like the input. */
  out?: Tensor;
}

function softmaxAxis(op: string, x: Tensor, axis: unknown): number {
  if (x.rank === 0) throw new ShapeError(`${op}: x is a scalar (shape []); it needs at least one axis`);
  if (typeof axis !== 'number') throw new ShapeError(`${op}: axis must be a number, got ${String(axis)}`);
  return normalizeAxis(op, axis, x.rank);
}

/** The permutation swapping `axis` with the last axis (its own inverse). */
function swapToLast(rank: number, axis: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[axis] = rank - 1;
  perm[rank - 1] = axis;
  return perm;
}

function transposed(backend: Kernels, x: Tensor, perm: readonly number[]): Tensor {
  const t = zeros(perm.map((p) => x.shape[p]!), { dtype: x.dtype });
  backend.transpose(x, perm, t);
  return t;
}

/**
 * The kernels work over the last axis. Another axis is handled by swapping it to the end into
 * a temporary, running the kernel there and swapping back into the destination (this allocates
 * two temporaries; keep the class axis last in hot code).
 */
function applyLastAxis<D extends DType>(
  op: 'softmax' | 'logSoftmax',
  x: Tensor<D>,
  options: SoftmaxOpOptions,
): Tensor<D> {
  assertTensor(op, 'x', x);
  assertOptions(op, options);
  assertFloat(op, 'x', x);
  const { axis = -1, out } = options;
  const ax = softmaxAxis(op, x, axis);
  const given = checkOut(op, out, x.shape, x.dtype);
  if (given) {
    // Only softmax's kernel may run in place (its contract says so).
    if (op === 'softmax') assertInPlaceOrDisjoint(op, 'out', given, 'x', x);
    else assertNoOverlap(op, 'out', given, 'x', x);
  }
  const backend = getKernels(op);
  const result = (given ?? zeros(x.shape, { dtype: x.dtype })) as Tensor<D>;
  const kernel = (input: Tensor, output: Tensor): void =>
    op === 'softmax' ? backend.softmax(input, output) : backend.logSoftmax(input, output);
  if (ax === x.rank - 1) {
    kernel(x, result);
  } else {
    const perm = swapToLast(x.rank, ax);
    const moved = transposed(backend, x, perm);
    const normalized = zeros(moved.shape, { dtype: x.dtype });
    kernel(moved, normalized);
    backend.transpose(normalized, perm, result);
  }
  return result;
}

/** `exp(x) / sum(exp(x))` along `axis` (last by default), max-shifted so large logits are safe. */
export function softmax<D extends DType>(x: Tensor<D>, options: SoftmaxOpOptions = {}): Tensor<D> {
  return applyLastAxis('softmax', x, options);
}

/** `log(softmax(x))` along `axis` (last by default), computed stably. */
export function logSoftmax<D extends DType>(x: Tensor<D>, options: SoftmaxOpOptions = {}): Tensor<D> {
  return applyLastAxis('logSoftmax', x, options);
}

/**
 * Gradient through softmax from its output `y`: `dx = y * (dy - sum(dy * y))` along `axis`
 * (last by default; another axis goes through temporaries as for `softmax`).
 */
export function softmaxBackward<D extends DType>(y: Tensor<D>, dy: Tensor<D>, options: SoftmaxOpOptions = {}): Tensor<D> {
  const op = 'softmaxBackward';
  assertTensor(op, 'y', y);
  assertTensor(op, 'dy', dy);
  assertOptions(op, options);
  assertFloat(op, 'y', y);
  assertSameDType(op, 'y', y, 'dy', dy);
  assertSameShape(op, 'y', y, 'dy', dy);
  const { axis = -1, out } = options;
  const ax = softmaxAxis(op, y, axis);
  const given = checkOut(op, out, y.shape, y.dtype);
  if (given) {
    assertNoOverlap(op, 'out', given, 'y', y);
    assertNoOverlap(op, 'out', given, 'dy', dy);
  }
  const backend = getKernels(op);
  const result = (given ?? zeros(y.shape, { dtype: y.dtype })) as Tensor<D>;
  if (ax === y.rank - 1) {
    backend.softmaxBackward(y, dy, result);
  } else {
    const perm = swapToLast(y.rank, ax);
    const yt = transposed(backend, y, perm);
    const dyt = transposed(backend, dy, perm);
    const dxt = zeros(yt.shape, { dtype: y.dtype });
    backend.softmaxBackward(yt, dyt, dxt);
    backend.transpose(dxt, perm, result);
  }
  return result;
}
