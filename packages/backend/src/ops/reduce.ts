import { ValueError, formatShape, normalizeAxis, sizeOf, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import { reduceSpec, type ReduceOp } from '../spec/reduce.js';
import { getKernels } from '../registry.js';
import { assertBoolean, assertFloat, assertNoOverlap, assertOptions, assertTensor, checkOut } from './validate.js';

export interface ReduceOpOptions {
  /** Axis or axes to reduce (negative counts from the end); all axes when absent. */
  axis?: number | readonly number[];
  /** Keep each reduced axis as a dimension of 1. */
  keepDims?: boolean;
  /** Destination of the reduced shape and the input's dtype. */
  out?: Tensor;
}

/** Normalizes `axis` to sorted, distinct, non-negative axes; undefined means every axis. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(list)) throw new ValueError(`${op}: axis must be a number or an array of numbers, got ${String(axis)}`);
  const seen = new Set<number>();
  for (const a of list as readonly number[]) {
    const n = normalizeAxis(op, a, rank);
    if (seen.has(n)) throw new ValueError(`${op}: axis ${n} appears more than once in [${list.join(',')}]`);
    seen.add(n);
  }
  return [...seen].sort((p, q) => p - q);
}

/** The shape after reducing `axes` of `shape`. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (!axes.includes(i)) out.push(shape[i]!);
    else if (keepDims) out.push(1);
  }
  return out;
}

/**
 * One kernel call whatever the axes: contiguous axes are merged into one by a reshape (a view);
 * scattered axes are first moved to the end by a transpose into a temporary. A single kernel call
 * keeps one summation order per output element, as a backend would compute it.
 */
function applyReduce<D extends DType>(op: ReduceOp, x: Tensor<D>, options: ReduceOpOptions): Tensor<D> {
  assertTensor(op, 'x', x);
  assertOptions(op, options);
  const { keepDims = false, out } = options;
  assertBoolean(op, 'keepDims', keepDims);
  if (reduceSpec(op).floatOnly) assertFloat(op, 'x', x);
  const axes = normalizeAxes(op, options.axis, x.rank);
  const shape = reducedShape(x.shape, axes, keepDims);
  const extent = sizeOf(axes.map((a) => x.shape[a]!));
  if (extent === 0 && sizeOf(shape) > 0 && (op === 'max' || op === 'min') && x.dtype === 'int32') {
    throw new ValueError(
      `${op}: cannot reduce an empty axis of an int32 tensor (shape ${formatShape(x.shape)}, axes [${axes.join(',')}]): int32 has no ${op === 'max' ? '-Infinity' : 'Infinity'}`,
    );
  }
  const given = checkOut(op, out, shape, x.dtype);
  if (given) assertNoOverlap(op, 'out', given, 'x', x);
  const backend = getKernels(op);
  const result = (given ?? zeros(shape, { dtype: x.dtype })) as Tensor<D>;
  if (axes.length === 0) {
    // Reducing over no axis is the identity, as in NumPy (`x.sum(axis=())`).
    backend.copy(x, result);
  } else if (axes.length === 1) {
    backend.reduce(op, x, axes[0]!, result);
  } else if (axes[axes.length - 1]! - axes[0]! === axes.length - 1) {
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    const outer = sizeOf(x.shape.slice(0, first));
    const inner = sizeOf(x.shape.slice(last + 1));
    backend.reduce(op, x.reshape([outer, extent, inner]), 1, result.reshape([outer, inner]));
  } else {
    const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const perm = [...kept, ...axes];
    const moved = zeros(perm.map((p) => x.shape[p]!), { dtype: x.dtype });
    backend.transpose(x, perm, moved);
    const keptSize = sizeOf(kept.map((k) => x.shape[k]!));
    backend.reduce(op, moved.reshape([keptSize, extent]), 1, result.reshape([keptSize]));
  }
  return result;
}

/** Sum over `axis` (all axes by default). */
export function sum<D extends DType>(x: Tensor<D>, options: ReduceOpOptions = {}): Tensor<D> {
  return applyReduce('sum', x, options);
}

/** Mean over `axis` (all axes by default); float only. NaN over an empty axis. */
export function mean<D extends DType>(x: Tensor<D>, options: ReduceOpOptions = {}): Tensor<D> {
  return applyReduce('mean', x, options);
}

/** Maximum over `axis` (all axes by default); -Infinity over an empty axis (an error for int32). */
export function max<D extends DType>(x: Tensor<D>, options: ReduceOpOptions = {}): Tensor<D> {
  return applyReduce('max', x, options);
}

/** Minimum over `axis` (all axes by default); Infinity over an empty axis (an error for int32). */
export function min<D extends DType>(x: Tensor<D>, options: ReduceOpOptions = {}): Tensor<D> {
  return applyReduce('min', x, options);
}
