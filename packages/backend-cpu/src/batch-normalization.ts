import type { Tensor } from '@scratchnet/tensor';
import type { KernelRunner } from './kernel-runner.js';
import { BATCH_NORM_BLOCK } from './kernels/batch-normalization.js';
import type { FloatArray } from './kernels/types.js';

/**
 * The cpu backend's batch normalization: per-channel sums in fixed blocks of rows and one
 * combine (see kernels/batch-normalization.ts), per-channel constants computed here in float64
 * (a few numbers per channel), and one pass over the rows to apply them. Moments read `x`
 * twice (mean, then squared deviations from the float64 mean); the forward pass reads it once;
 * the gradient reads `dy` and `x` twice. The composed ops take about 20 passes for the same.
 */

interface Sums {
  rows: number;
  channels: number;
  sums: Float64Array;
}

function blockSums(r: KernelRunner, mode: 'sum' | 'squaredDeviation' | 'backward', x: Tensor, dy: Tensor | null, center: Float64Array | null, channels: number): Sums {
  const rows = channels === 0 ? 0 : x.size / channels;
  const width = mode === 'backward' ? 2 * channels : channels;
  const blocks = Math.ceil(rows / BATCH_NORM_BLOCK);
  const partials = r.data(r.scratch('batchNormPartials', 'float64', Math.max(1, blocks * width))) as Float64Array;
  const sums = (r.data(r.scratch('batchNormSums', 'float64', Math.max(1, width))) as Float64Array).subarray(0, width);
  r.run({
    kernel: 'batchNormPartials',
    args: { mode, x: r.data(x) as FloatArray, dy: dy === null ? null : (r.data(dy) as FloatArray), center, partials, rows, channels },
    units: blocks,
    grain: 1,
    cost: BATCH_NORM_BLOCK * channels * (mode === 'backward' ? 4 : 2),
  });
  r.run({ kernel: 'batchNormCombine', args: { partials, blocks, width, out: sums }, units: width, grain: 1, cost: Math.max(1, blocks) });
  return { rows, channels, sums };
}

/** Per-channel float64 vectors for the apply kernel, in the backend's memory: `count` of them. */
function vectors(r: KernelRunner, channels: number, count: number): Float64Array[] {
  const all = r.data(r.scratch('batchNormVectors', 'float64', Math.max(1, count * channels))) as Float64Array;
  return Array.from({ length: count }, (_, i) => all.subarray(i * channels, (i + 1) * channels));
}

const valueAt = (t: Tensor | null, c: number, fallback: number): number => (t === null ? fallback : t.data[c]!);

export function runMoments(r: KernelRunner, x: Tensor, mean: Tensor, variance: Tensor): void {
  const channels = mean.size;
  const [center] = vectors(r, channels, 1) as [Float64Array];
  const first = blockSums(r, 'sum', x, null, null, channels);
  for (let c = 0; c < channels; c++) center[c] = first.sums[c]! / first.rows;
  const second = blockSums(r, 'squaredDeviation', x, null, center, channels);
  const m = r.data(mean);
  const v = r.data(variance);
  for (let c = 0; c < channels; c++) {
    m[c] = center[c]!;
    v[c] = second.sums[c]! / second.rows;
  }
}

export function runBatchNormalization(
  r: KernelRunner,
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  scale: Tensor | null,
  offset: Tensor | null,
  epsilon: number,
  out: Tensor,
): void {
  const channels = mean.size;
  const [center, a, b] = vectors(r, channels, 3) as [Float64Array, Float64Array, Float64Array];
  for (let c = 0; c < channels; c++) {
    center[c] = mean.data[c]!;
    a[c] = valueAt(scale, c, 1) / Math.sqrt(variance.data[c]! + epsilon);
    b[c] = valueAt(offset, c, 0);
  }
  r.run({
    kernel: 'batchNormApply',
    args: { mode: 'normalize', x: r.data(x) as FloatArray, dy: null, out: r.data(out) as FloatArray, center, a, b, c: null, channels },
    units: x.size / channels,
    grain: 1,
    cost: 3 * channels,
  });
}

export function runBatchNormalizationBackward(
  r: KernelRunner,
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
  const [center, a, b, k] = vectors(r, channels, 4) as [Float64Array, Float64Array, Float64Array, Float64Array];
  for (let c = 0; c < channels; c++) center[c] = mean.data[c]!;
  // Σ dy and Σ dy·(x - mean) per channel.
  const { rows, sums } = blockSums(r, 'backward', x, dy, center, channels);
  const ds = r.data(dscale);
  const dof = r.data(doffset);
  for (let c = 0; c < channels; c++) {
    const rstd = 1 / Math.sqrt(variance.data[c]! + epsilon);
    const sumDy = sums[c]!;
    const sumDyXhat = rstd * sums[channels + c]!;
    const gain = valueAt(scale, c, 1) * rstd;
    // dx = gain · (dy - Σdy/m - x̂ · Σdy·x̂/m), x̂ = (x - mean) · rstd.
    a[c] = gain;
    b[c] = (gain * sumDy) / rows;
    k[c] = (gain * rstd * sumDyXhat) / rows;
    ds[c] = sumDyXhat;
    dof[c] = sumDy;
  }
  r.run({
    kernel: 'batchNormApply',
    args: { mode: 'gradient', x: r.data(x) as FloatArray, dy: r.data(dy) as FloatArray, out: r.data(dx) as FloatArray, center, a, b, c: k, channels },
    units: rows,
    grain: 1,
    cost: 5 * channels,
  });
}
