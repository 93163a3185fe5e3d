import type { Tensor } from '@scratchnet/tensor';

/**
 * Batch normalization as the obvious loops, in float64, for the ReferenceBackend: `x` is
 * `[rows, channels]` row-major with `channels = mean.size`; each formula of the contract
 * written out per channel. Checked against NumPy (moments, the forward pass) and central
 * differences (the gradients).
 */

function rowsOf(x: Tensor, channels: number): number {
  return channels === 0 ? 0 : x.size / channels;
}

export function referenceMoments(x: Tensor, mean: Tensor, variance: Tensor): void {
  const channels = mean.size;
  const rows = rowsOf(x, channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += x.data[r * channels + c]!;
    const mu = sum / rows;
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (x.data[r * channels + c]! - mu) ** 2;
    mean.data[c] = mu;
    variance.data[c] = squares / rows;
  }
}

export function referenceBatchNormalization(
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  scale: Tensor | null,
  offset: Tensor | null,
  epsilon: number,
  out: Tensor,
): void {
  const channels = mean.size;
  const rows = rowsOf(x, channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const i = r * channels + c;
      const normalized = (x.data[i]! - mean.data[c]!) / Math.sqrt(variance.data[c]! + epsilon);
      out.data[i] = normalized * (scale === null ? 1 : scale.data[c]!) + (offset === null ? 0 : offset.data[c]!);
    }
  }
}

export function referenceBatchNormalizationBackward(
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
  const rows = rowsOf(x, channels);
  for (let c = 0; c < channels; c++) {
    const rstd = 1 / Math.sqrt(variance.data[c]! + epsilon);
    const xhat = (r: number): number => (x.data[r * channels + c]! - mean.data[c]!) * rstd;
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let r = 0; r < rows; r++) {
      sumDy += dy.data[r * channels + c]!;
      sumDyXhat += dy.data[r * channels + c]! * xhat(r);
    }
    const gain = (scale === null ? 1 : scale.data[c]!) * rstd;
    // dx is written after every dy of the channel was read (dx may be dy).
    for (let r = 0; r < rows; r++) {
      const i = r * channels + c;
      dx.data[i] = gain * (dy.data[i]! - sumDy / rows - (xhat(r) * sumDyXhat) / rows);
    }
    dscale.data[c] = sumDyXhat;
    doffset.data[c] = sumDy;
  }
}
