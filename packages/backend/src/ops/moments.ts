import { ValueError, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import { getKernels } from '../registry.js';
import { squaredDifference } from './binary.js';
import { copy } from './fill-copy-cast.js';
import { mean, normalizeAxes, reducedShape } from './reduce.js';
import { assertBoolean, assertFloat, assertKnownOptions, assertNoOverlap, assertOptions, assertTensor, checkOut } from './validate.js';

/** Options of `moments`: the axes to reduce, whether to keep them, and destinations. */
export interface MomentsOptions {
  /** Axis or axes to reduce (negative counts from the end); all axes when absent (as `tf.moments`). */
  axis?: number | readonly number[];
  /** Keep each reduced axis as a dimension of 1. */
  keepDims?: boolean;
  /** Destinations of the result's shapes and `x`'s dtype (a training step reuses them); allocated when absent. */
  out?: { mean: Tensor; variance: Tensor };
}

/**
 * Mean and (population, divide-by-n) variance of `x` over `axis`, as `tf.moments` computes them
 * and as batch normalization uses them in training: for NHWC activations, `axis: [0, 1, 2]` gives
 * per-channel statistics. Two passes: the variance is the mean of `(x - mean)²`, which stays
 * accurate when the mean is large against the spread (unlike `E[x²] - E[x]²`). Statistics over
 * the leading axes run as one `moments` kernel; others are composed from reductions.
 */
export function moments<D extends DType>(x: Tensor<D>, options: MomentsOptions = {}): { mean: Tensor<D>; variance: Tensor<D> } {
  const op = 'moments';
  assertTensor(op, 'x', x);
  assertOptions(op, options);
  assertKnownOptions(op, options, ['axis', 'keepDims', 'out']);
  const { keepDims = false } = options;
  assertBoolean(op, 'keepDims', keepDims);
  assertFloat(op, 'x', x);
  const axes = normalizeAxes(op, options.axis, x.rank);
  const shape = reducedShape(x.shape, axes, keepDims);
  const out = checkDestinations(op, options.out, shape, x);
  if (axes.every((a, i) => a === i)) {
    // The leading axes (channels-last statistics, or all of them): one kernel over [rows, channels].
    const k = getKernels(op);
    const result = out ?? { mean: zeros(shape, { dtype: x.dtype }) as Tensor<D>, variance: zeros(shape, { dtype: x.dtype }) as Tensor<D> };
    if (x.size > 0 || result.mean.size > 0) k.moments(x, result.mean, result.variance);
    return result as { mean: Tensor<D>; variance: Tensor<D> };
  }
  const m = mean(x, { axis: axes, keepDims: true });
  const variance = mean(squaredDifference(x, m), { axis: axes, keepDims: true });
  if (out === undefined) return { mean: m.reshape(shape), variance: variance.reshape(shape) };
  copy(m.reshape(shape), out.mean);
  copy(variance.reshape(shape), out.variance);
  return out as { mean: Tensor<D>; variance: Tensor<D> };
}

/** `out` must be `{ mean, variance }`, each of `shape` and `x`'s dtype, apart from `x` and each other. */
function checkDestinations(op: string, out: unknown, shape: readonly number[], x: Tensor): { mean: Tensor; variance: Tensor } | undefined {
  if (out === undefined) return undefined;
  if (out === null || typeof out !== 'object' || Array.isArray(out)) {
    throw new ValueError(`${op}: out must be { mean, variance } (two tensors of the result's shape), got ${out === null ? 'null' : typeof out}`);
  }
  const o = out as Record<string, unknown>;
  const m = checkOut(op, o.mean, shape, x.dtype, 'out.mean');
  const v = checkOut(op, o.variance, shape, x.dtype, 'out.variance');
  if (m === undefined || v === undefined) throw new ValueError(`${op}: out must hold both mean and variance`);
  assertNoOverlap(op, 'out.mean', m, 'x', x);
  assertNoOverlap(op, 'out.variance', v, 'x', x);
  assertNoOverlap(op, 'out.variance', v, 'out.mean', m);
  return { mean: m, variance: v };
}
