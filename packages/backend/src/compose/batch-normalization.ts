import type { Tensor } from '@scratchnet/tensor';
import type { CoreKernels } from '../backend.js';
import type { Temps } from './temps.js';

// Batch normalization composed from core kernels, on `x` viewed as `[rows, channels]` with the
// per-channel vectors viewed as `[1, channels]` (broadcast over the rows).

function view(x: Tensor, channels: number): { rows: number; x2: Tensor } {
  const rows = channels === 0 ? 0 : x.size / channels;
  return { rows, x2: x.reshape([rows, channels]) };
}

const row = (v: Tensor): Tensor => v.reshape([1, v.size]);

/** `scale / sqrt(variance + epsilon)` (without `scale`: `1 / sqrt(…)`), `[1, channels]`. */
function factor(k: CoreKernels, temps: Temps, variance: Tensor, scale: Tensor | null, epsilon: number): Tensor {
  const f = temps.zeros([1, variance.size], variance.dtype);
  k.binary('add', row(variance), temps.scalar(epsilon, variance.dtype), f);
  k.unary('sqrt', f, f);
  k.binary('div', scale === null ? temps.scalar(1, variance.dtype) : row(scale), f, f);
  return f;
}

export function composeMoments(k: CoreKernels, temps: Temps, x: Tensor, mean: Tensor, variance: Tensor): void {
  const { rows, x2 } = view(x, mean.size);
  k.reduce('mean', x2, 0, mean.reshape([mean.size]));
  const deviations = temps.zeros([rows, mean.size], x.dtype);
  k.binary('squaredDifference', x2, row(mean), deviations);
  k.reduce('mean', deviations, 0, variance.reshape([variance.size]));
}

export function composeBatchNormalization(
  k: CoreKernels,
  temps: Temps,
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  scale: Tensor | null,
  offset: Tensor | null,
  epsilon: number,
  out: Tensor,
): void {
  const { rows, x2 } = view(x, mean.size);
  const y = out.reshape([rows, mean.size]);
  const f = factor(k, temps, variance, scale, epsilon);
  k.binary('sub', x2, row(mean), y);
  k.binary('mul', y, f, y);
  if (offset !== null) k.binary('add', y, row(offset), y);
}

export function composeBatchNormalizationBackward(
  k: CoreKernels,
  temps: Temps,
  dy: Tensor,
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  scale: Tensor | null,
  epsilon: number,
  dx: Tensor,
  dscale: Tensor,
  doffset: Tensor,
): void {
  const channels = mean.size;
  const { rows, x2 } = view(x, channels);
  const dy2 = dy.reshape([rows, channels]);
  const rstd = factor(k, temps, variance, null, epsilon);
  const xhat = temps.zeros([rows, channels], x.dtype);
  k.binary('sub', x2, row(mean), xhat);
  k.binary('mul', xhat, rstd, xhat);
  const sumDy = temps.zeros([1, channels], x.dtype);
  k.reduce('sum', dy2, 0, sumDy.reshape([channels]));
  const products = temps.zeros([rows, channels], x.dtype);
  k.binary('mul', dy2, xhat, products);
  const sumDyXhat = temps.zeros([1, channels], x.dtype);
  k.reduce('sum', products, 0, sumDyXhat.reshape([channels]));
  // dx = scale * rstd * (dy - sumDy / m - xhat * sumDyXhat / m), written over `products`.
  const perRow = temps.scalar(1 / rows, x.dtype);
  k.binary('mul', xhat, sumDyXhat, products);
  k.binary('mul', products, perRow, products);
  const meanDy = temps.zeros([1, channels], x.dtype);
  k.binary('mul', sumDy, perRow, meanDy);
  k.binary('sub', dy2, products, products);
  k.binary('sub', products, meanDy, products);
  const gain = scale === null ? rstd : temps.zeros([1, channels], x.dtype);
  if (scale !== null) k.binary('mul', rstd, row(scale), gain);
  k.binary('mul', products, gain, dx.reshape([rows, channels]));
  k.copy(sumDyXhat, dscale);
  k.copy(sumDy, doffset);
}
