import { ShapeError, ValueError, broadcastShapes, formatShape, shapesEqual, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import { getKernels } from '../registry.js';
import { add, mul, sub } from './binary.js';
import { normalizeAxes, sum } from './reduce.js';
import { reciprocal, sqrt } from './unary.js';
import { copy, fill } from './fill-copy-cast.js';
import { assertFinite, assertFloat, assertKnownOptions, assertNoOverlap, assertOptions, assertSameDType, assertTensor, checkOut } from './validate.js';

/** Options of `batchNormalization`: epsilon and a destination. */
export interface BatchNormalizationOptions {
  /** β, added after normalizing (default none). Broadcasts against `x` like `mean`. */
  offset?: Tensor;
  /** γ, multiplied after normalizing (default none). */
  scale?: Tensor;
  /** Added to the variance before the square root; default 0.001 (Keras's `BatchNormalization`). */
  epsilon?: number;
  /** Destination of `x`'s shape and dtype (a training step reuses it); allocated when absent. */
  out?: Tensor;
}

/** Options of `batchNormalizationBackward`. */
export interface BatchNormalizationBackwardOptions {
  /** γ of the forward pass (default none: 1). */
  scale?: Tensor;
  /** As in the forward pass; default 0.001. */
  epsilon?: number;
  /** The axes the batch statistics were taken over; default every axis but the last (channels-last). */
  axis?: number | readonly number[];
  /** Destinations of the three gradients (`x`'s shape, and `mean`'s twice); allocated when absent. */
  out?: { dx: Tensor; dscale: Tensor; doffset: Tensor };
}

/** What `batchNormalizationBackward` returns: the gradients with respect to the input, scale and offset. */
export interface BatchNormalizationGradients<D extends DType = DType> {
  /** Gradient with respect to `x`, through the batch statistics too. */
  dx: Tensor<D>;
  /** Gradient with respect to γ, in `mean`'s shape. */
  dscale: Tensor<D>;
  /** Gradient with respect to β, in `mean`'s shape. */
  doffset: Tensor<D>;
}

const DEFAULT_EPSILON = 0.001;

/** A statistic or parameter must have one float dtype with `x` and broadcast to `x`'s shape. */
function checkParameter(op: string, name: string, t: unknown, x: Tensor, like: Tensor | null): asserts t is Tensor {
  assertTensor(op, name, t);
  assertSameDType(op, 'x', x, name, t);
  if (like !== null && !shapesEqual(t.shape, like.shape)) {
    throw new ShapeError(`${op}: ${name} has shape ${formatShape(t.shape)}, mean has ${formatShape(like.shape)}; they must be the same`);
  }
  let fits = false;
  try {
    fits = shapesEqual(broadcastShapes(op, x.shape, t.shape), x.shape);
  } catch {
    fits = false;
  }
  if (!fits) {
    throw new ShapeError(
      `${op}: ${name} ${formatShape(t.shape)} does not broadcast to x ${formatShape(x.shape)} ` +
        `(per-channel statistics of an NHWC x [batch, height, width, channels] are [channels])`,
    );
  }
}

function epsilonOf(op: string, value: unknown): number {
  if (value === undefined) return DEFAULT_EPSILON;
  assertFinite(op, 'epsilon', value);
  if (value < 0) throw new ValueError(`${op}: epsilon must be >= 0, got ${value}`);
  return value;
}

/**
 * Whether statistics of shape `stats` are per channel of channels-last data: without their
 * leading 1s they are `x`'s trailing axes. Then `x` is `[rows, stats.size]` and a kernel applies.
 */
function channelsLast(x: Tensor, stats: Tensor): boolean {
  let first = 0;
  while (first < stats.rank && stats.shape[first] === 1) first++;
  const kept = stats.shape.slice(first);
  return shapesEqual(kept, x.shape.slice(x.rank - kept.length));
}

/** `scale / sqrt(variance + epsilon)` (or without `scale`), in the statistics' shape. */
function inverseStd<D extends DType>(variance: Tensor<D>, epsilon: number): Tensor<D> {
  return reciprocal(sqrt(add(variance, epsilon)));
}

/**
 * `(x - mean) / sqrt(variance + epsilon) * scale + offset`, broadcasting the statistics and
 * parameters against `x` (`tf.batchNorm`). In training pass the batch's `moments`; at inference,
 * the moving averages. Per-channel statistics of channels-last data (`[channels]` for NHWC) run
 * as one `batchNormalization` kernel; other layouts are composed from elementwise ops.
 */
export function batchNormalization<D extends DType>(
  x: Tensor<D>,
  mean: Tensor<D>,
  variance: Tensor<D>,
  options: BatchNormalizationOptions = {},
): Tensor<D> {
  const op = 'batchNormalization';
  assertTensor(op, 'x', x);
  assertOptions(op, options);
  assertKnownOptions(op, options, ['offset', 'scale', 'epsilon', 'out']);
  assertFloat(op, 'x', x);
  checkParameter(op, 'mean', mean, x, null);
  checkParameter(op, 'variance', variance, x, mean);
  if (options.scale !== undefined) checkParameter(op, 'scale', options.scale, x, mean);
  if (options.offset !== undefined) checkParameter(op, 'offset', options.offset, x, mean);
  const epsilon = epsilonOf(op, options.epsilon);
  const given = checkOut(op, options.out, x.shape, x.dtype) as Tensor<D> | undefined;
  if (given) {
    for (const [name, t] of [['x', x], ['mean', mean], ['variance', variance], ['scale', options.scale], ['offset', options.offset]] as const) {
      if (t !== undefined) assertNoOverlap(op, 'out', given, name, t);
    }
  }
  if (channelsLast(x, mean)) {
    const out = given ?? (zeros(x.shape, { dtype: x.dtype }) as Tensor<D>);
    if (x.size > 0) getKernels(op).batchNormalization(x, mean, variance, options.scale ?? null, options.offset ?? null, epsilon, out);
    return out;
  }
  let factor = inverseStd(variance, epsilon);
  if (options.scale !== undefined) factor = mul(factor, options.scale as Tensor<D>, { out: factor });
  const y = mul(sub(x, mean), factor, given ? { out: given } : {});
  if (options.offset !== undefined) add(y, options.offset as Tensor<D>, { out: y });
  return y;
}

/**
 * Gradients of `batchNormalization` in training, where `mean` and `variance` are the batch's
 * own statistics of `x` over `axis` (so `dx` includes their dependence on `x`):
 * with `x̂ = (x - mean) / sqrt(variance + ε)` and `m` elements per statistic,
 * `doffset = Σ dy`, `dscale = Σ dy·x̂`, `dx = scale / sqrt(variance + ε) / m · (m·dy - doffset - x̂·dscale)`.
 */
export function batchNormalizationBackward<D extends DType>(
  dy: Tensor<D>,
  x: Tensor<D>,
  mean: Tensor<D>,
  variance: Tensor<D>,
  options: BatchNormalizationBackwardOptions = {},
): BatchNormalizationGradients<D> {
  const op = 'batchNormalizationBackward';
  assertTensor(op, 'dy', dy);
  assertTensor(op, 'x', x);
  assertOptions(op, options);
  assertKnownOptions(op, options, ['scale', 'epsilon', 'axis', 'out']);
  assertFloat(op, 'x', x);
  assertSameDType(op, 'x', x, 'dy', dy);
  if (!shapesEqual(dy.shape, x.shape)) {
    throw new ShapeError(`${op}: dy has shape ${formatShape(dy.shape)}, x has ${formatShape(x.shape)}; they must be the same`);
  }
  checkParameter(op, 'mean', mean, x, null);
  checkParameter(op, 'variance', variance, x, mean);
  if (options.scale !== undefined) checkParameter(op, 'scale', options.scale, x, mean);
  const epsilon = epsilonOf(op, options.epsilon);
  const axes = normalizeAxes(op, options.axis ?? x.shape.map((_, i) => i).slice(0, -1), x.rank);
  const statistics = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const count = x.shape.reduce((p, d, i) => (axes.includes(i) ? p * d : p), 1);
  if (mean.size !== statistics.reduce((p, d) => p * d, 1)) {
    throw new ShapeError(
      `${op}: mean ${formatShape(mean.shape)} holds ${mean.size} statistics, but x ${formatShape(x.shape)} over axes [${axes.join(',')}] has ${formatShape(statistics)}`,
    );
  }
  const given = checkGradientDestinations(op, options.out, dy, x, mean, variance, options.scale);
  if (axes.every((a, i) => a === i)) {
    // Statistics over the leading axes: x is [rows, channels] for one kernel.
    const result = (given ?? {
      dx: zeros(x.shape, { dtype: x.dtype }),
      dscale: zeros(mean.shape, { dtype: x.dtype }),
      doffset: zeros(mean.shape, { dtype: x.dtype }),
    }) as BatchNormalizationGradients<D>;
    const { dx, dscale, doffset } = result;
    if (x.size > 0) getKernels(op).batchNormalizationBackward(dy, x, mean, variance, options.scale ?? null, epsilon, dx, dscale, doffset);
    else for (const t of [dscale, doffset]) fill(t, 0);
    return result;
  }
  const rstd = inverseStd(variance, epsilon).reshape(statistics);
  const xhat = mul(sub(x, mean), rstd);
  const doffset = sum(dy, { axis: axes, keepDims: true });
  const dscale = sum(mul(dy, xhat), { axis: axes, keepDims: true });
  // dx = (scale * rstd / m) * (m * dy - doffset - xhat * dscale)
  const factor = mul(rstd, 1 / count, { out: rstd });
  if (options.scale !== undefined) mul(factor, (options.scale as Tensor<D>).reshape(statistics), { out: factor });
  const inner = mul(dy, count);
  sub(inner, doffset, { out: inner });
  sub(inner, mul(xhat, dscale, { out: xhat }), { out: inner });
  const dx = mul(inner, factor, { out: inner });
  if (given === undefined) return { dx, dscale: dscale.reshape(mean.shape), doffset: doffset.reshape(mean.shape) };
  copy(dx, given.dx as Tensor<D>);
  copy(dscale.reshape(mean.shape), given.dscale as Tensor<D>);
  copy(doffset.reshape(mean.shape), given.doffset as Tensor<D>);
  return given as BatchNormalizationGradients<D>;
}

/** `out` must be `{ dx, dscale, doffset }` of the gradients' shapes and `x`'s dtype, apart from the inputs and each other. */
function checkGradientDestinations(
  op: string,
  out: unknown,
  dy: Tensor,
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  scale: Tensor | undefined,
): { dx: Tensor; dscale: Tensor; doffset: Tensor } | undefined {
  if (out === undefined) return undefined;
  if (out === null || typeof out !== 'object' || Array.isArray(out)) {
    throw new ValueError(`${op}: out must be { dx, dscale, doffset } (tensors of the gradients' shapes), got ${out === null ? 'null' : typeof out}`);
  }
  const o = out as Record<string, unknown>;
  const dx = checkOut(op, o.dx, x.shape, x.dtype, 'out.dx');
  const dscale = checkOut(op, o.dscale, mean.shape, x.dtype, 'out.dscale');
  const doffset = checkOut(op, o.doffset, mean.shape, x.dtype, 'out.doffset');
  if (dx === undefined || dscale === undefined || doffset === undefined) throw new ValueError(`${op}: out must hold dx, dscale and doffset`);
  const outputs = { dx, dscale, doffset };
  const inputs = { dy, x, mean, variance, ...(scale ? { scale } : {}) };
  for (const [outName, t] of Object.entries(outputs)) {
    for (const [inName, input] of Object.entries(inputs)) assertNoOverlap(op, `out.${outName}`, t, inName, input);
  }
  assertNoOverlap(op, 'out.dscale', dscale, 'out.dx', dx);
  assertNoOverlap(op, 'out.doffset', doffset, 'out.dx', dx);
  assertNoOverlap(op, 'out.doffset', doffset, 'out.dscale', dscale);
  return o as unknown as { dx: Tensor; dscale: Tensor; doffset: Tensor };
}
