import type { FloatArray, RangeKernel } from './types.js';

/**
 * Batch normalization over `x` viewed as `[rows, channels]`. Per-channel sums over the rows are
 * taken in fixed blocks of rows (`BATCH_NORM_BLOCK`, whatever the thread split): each block's
 * float64 partial sums (`batchNormPartials`, units are blocks), then the blocks added in order
 * (`batchNormCombine`, units are sums). So every sum has one order on any number of threads.
 */
export const BATCH_NORM_BLOCK = 64;

/** Arguments of the kernel writing per-block partial sums of batch normalization. */
export interface BatchNormPartialsArgs {
  /** `sum`: Σ x; `squaredDeviation`: Σ (x - center)²; `backward`: Σ dy and Σ dy·(x - center). */
  mode: 'sum' | 'squaredDeviation' | 'backward';
  x: FloatArray;
  dy: FloatArray | null;
  /** Per-channel mean, float64 (not used by `sum`). */
  center: Float64Array | null;
  /** `[blocks, width]`, width = channels (2 × channels for `backward`: Σ dy first). */
  partials: Float64Array;
  rows: number;
  channels: number;
}

export const batchNormPartials: RangeKernel<BatchNormPartialsArgs> = (args, start, end) => {
  const { mode, x, partials, rows, channels: C } = args;
  const width = mode === 'backward' ? 2 * C : C;
  for (let b = start; b < end; b++) {
    const p = b * width;
    for (let j = 0; j < width; j++) partials[p + j] = 0;
    const r1 = Math.min(rows, (b + 1) * BATCH_NORM_BLOCK);
    for (let r = b * BATCH_NORM_BLOCK; r < r1; r++) {
      const i = r * C;
      if (mode === 'sum') {
        for (let c = 0; c < C; c++) partials[p + c] = partials[p + c]! + x[i + c]!;
      } else if (mode === 'squaredDeviation') {
        const center = args.center!;
        for (let c = 0; c < C; c++) {
          const d = x[i + c]! - center[c]!;
          partials[p + c] = partials[p + c]! + d * d;
        }
      } else {
        const center = args.center!;
        const dy = args.dy!;
        for (let c = 0; c < C; c++) {
          const g = dy[i + c]!;
          partials[p + c] = partials[p + c]! + g;
          partials[p + C + c] = partials[p + C + c]! + g * (x[i + c]! - center[c]!);
        }
      }
    }
  }
};

/** Arguments of the kernel combining batch normalization's partial sums in block order. */
export interface BatchNormCombineArgs {
  partials: Float64Array;
  blocks: number;
  width: number;
  out: Float64Array;
}

/** `out[j]` = the blocks' partial sums `j` added in block order; units are sums. */
export const batchNormCombine: RangeKernel<BatchNormCombineArgs> = (args, start, end) => {
  const { partials, blocks, width, out } = args;
  for (let j = start; j < end; j++) {
    let s = 0;
    for (let b = 0; b < blocks; b++) s += partials[b * width + j]!;
    out[j] = s;
  }
};

/** Arguments of the kernel normalizing, scaling and shifting. */
export interface BatchNormApplyArgs {
  /** `normalize`: `out = (x - center) · a + b`; `gradient`: `out = a · dy - b - c · (x - center)`. */
  mode: 'normalize' | 'gradient';
  x: FloatArray;
  dy: FloatArray | null;
  out: FloatArray;
  center: Float64Array;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array | null;
  channels: number;
}

/** Per-channel affine maps of the rows; units are rows. `out` may be `x` (normalize) or `dy` (gradient). */
export const batchNormApply: RangeKernel<BatchNormApplyArgs> = (args, start, end) => {
  const { x, out, center, a, b, channels: C } = args;
  if (args.mode === 'normalize') {
    for (let r = start; r < end; r++) {
      const i = r * C;
      for (let c = 0; c < C; c++) out[i + c] = (x[i + c]! - center[c]!) * a[c]! + b[c]!;
    }
    return;
  }
  const dy = args.dy!;
  const k = args.c!;
  for (let r = start; r < end; r++) {
    const i = r * C;
    for (let c = 0; c < C; c++) out[i + c] = a[c]! * dy[i + c]! - b[c]! - k[c]! * (x[i + c]! - center[c]!);
  }
};
