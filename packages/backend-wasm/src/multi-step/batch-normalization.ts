import { BATCH_NORM_BLOCK, type BatchNormApplyArgs, type BatchNormPartialsArgs, type FloatArray } from '@scratchnet/backend-cpu';
import type { Tensor } from '@scratchnet/tensor';
import type { Job } from '../kernels/jobs.js';
import type { MultiStepRunner } from './runner.js';

/**
 * Batch normalization with the cpu backend's range kernels over this backend's memory, as the cpu
 * backend composes them (per-channel sums in fixed blocks of rows, one combine in block order,
 * per-channel constants in float64, one apply pass), so the bits are the cpu backend's on any
 * number of threads. Every scratch block a method needs is allocated first and viewed after (see
 * `MultiStepRunner`). These kernels stay JavaScript: they are passes over memory, each a small
 * part of a batch-normalized layer's time next to its convolution.
 */

interface Scratch {
  /** `count` per-channel float64 vectors. */
  vectors: Float64Array[];
  partials: Float64Array;
  sums: Float64Array;
}

/** The scratch of one method: every block allocated, then every view made. */
function scratch(r: MultiStepRunner, channels: number, vectorCount: number, rows: number, width: number): Scratch {
  const blocks = Math.ceil(rows / BATCH_NORM_BLOCK);
  const vectorsAt = r.scratch('batchNormVectors', Math.max(1, vectorCount * channels) * 8);
  const partialsAt = r.scratch('batchNormPartials', Math.max(1, blocks * width) * 8);
  const sumsAt = r.scratch('batchNormSums', Math.max(1, width) * 8);
  const all = new Float64Array(r.buffer, vectorsAt, vectorCount * channels);
  return {
    vectors: Array.from({ length: vectorCount }, (_, i) => all.subarray(i * channels, (i + 1) * channels)),
    partials: new Float64Array(r.buffer, partialsAt, Math.max(1, blocks * width)),
    sums: new Float64Array(r.buffer, sumsAt, width),
  };
}

function js(kernel: 'batchNormPartials' | 'batchNormCombine' | 'batchNormApply', args: object, units: number, cost: number): Job {
  return { type: 'js', kernel, args, units, grain: 1, cost };
}

/** Per-channel sums of `mode` into `s.sums` (see the cpu backend's batch normalization). */
function blockSums(r: MultiStepRunner, op: string, s: Scratch, args: Omit<BatchNormPartialsArgs, 'partials'>): void {
  const width = args.mode === 'backward' ? 2 * args.channels : args.channels;
  const blocks = Math.ceil(args.rows / BATCH_NORM_BLOCK);
  r.execute(js('batchNormPartials', { ...args, partials: s.partials }, blocks, BATCH_NORM_BLOCK * args.channels * (args.mode === 'backward' ? 4 : 2)), op);
  r.execute(js('batchNormCombine', { partials: s.partials, blocks, width, out: s.sums }, width, Math.max(1, blocks)), op);
}

const valueAt = (t: Tensor | null, c: number, fallback: number): number => (t === null ? fallback : t.data[c]!);

export function moments(r: MultiStepRunner, x: Tensor, mean: Tensor, variance: Tensor): void {
  const op = 'moments';
  const channels = mean.size;
  const rows = channels === 0 ? 0 : x.size / channels;
  const s = scratch(r, channels, 1, rows, channels);
  const center = s.vectors[0]!;
  const xs = x.data as FloatArray;
  blockSums(r, op, s, { mode: 'sum', x: xs, dy: null, center: null, rows, channels });
  for (let c = 0; c < channels; c++) center[c] = s.sums[c]! / rows;
  blockSums(r, op, s, { mode: 'squaredDeviation', x: xs, dy: null, center, rows, channels });
  const m = mean.data;
  const v = variance.data;
  for (let c = 0; c < channels; c++) {
    m[c] = center[c]!;
    v[c] = s.sums[c]! / rows;
  }
}

export function batchNormalization(
  r: MultiStepRunner,
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  scale: Tensor | null,
  offset: Tensor | null,
  epsilon: number,
  out: Tensor,
): void {
  const channels = mean.size;
  const rows = channels === 0 ? 0 : x.size / channels;
  const [center, a, b] = scratch(r, channels, 3, 0, channels).vectors as [Float64Array, Float64Array, Float64Array];
  for (let c = 0; c < channels; c++) {
    center[c] = mean.data[c]!;
    a[c] = valueAt(scale, c, 1) / Math.sqrt(variance.data[c]! + epsilon);
    b[c] = valueAt(offset, c, 0);
  }
  const args: BatchNormApplyArgs = { mode: 'normalize', x: x.data as FloatArray, dy: null, out: out.data as FloatArray, center, a, b, c: null, channels };
  r.execute(js('batchNormApply', args, rows, 3 * channels), 'batchNormalization');
}

export function batchNormalizationBackward(
  r: MultiStepRunner,
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
  const op = 'batchNormalizationBackward';
  const channels = mean.size;
  const rows = channels === 0 ? 0 : x.size / channels;
  const s = scratch(r, channels, 4, rows, 2 * channels);
  const [center, a, b, k] = s.vectors as [Float64Array, Float64Array, Float64Array, Float64Array];
  for (let c = 0; c < channels; c++) center[c] = mean.data[c]!;
  // Σ dy and Σ dy·(x - mean) per channel.
  blockSums(r, op, s, { mode: 'backward', x: x.data as FloatArray, dy: dy.data as FloatArray, center, rows, channels });
  const ds = dscale.data;
  const dof = doffset.data;
  for (let c = 0; c < channels; c++) {
    const rstd = 1 / Math.sqrt(variance.data[c]! + epsilon);
    const sumDy = s.sums[c]!;
    const sumDyXhat = rstd * s.sums[channels + c]!;
    const gain = valueAt(scale, c, 1) * rstd;
    // dx = gain · (dy - Σdy/m - x̂ · Σdy·x̂/m), x̂ = (x - mean) · rstd.
    a[c] = gain;
    b[c] = (gain * sumDy) / rows;
    k[c] = (gain * rstd * sumDyXhat) / rows;
    ds[c] = sumDyXhat;
    dof[c] = sumDy;
  }
  const args: BatchNormApplyArgs = { mode: 'gradient', x: x.data as FloatArray, dy: dy.data as FloatArray, out: dx.data as FloatArray, center, a, b, c: k, channels };
  r.execute(js('batchNormApply', args, rows, 5 * channels), op);
}
