import { scratch, SCRATCH_CHANNELS, SCRATCH_CHANNELS_2 } from './scratch.js';
import type { FloatArray, RangeKernel } from './types.js';
import { readerOf, type WindowArgs } from './window.js';

/** A pooling kernel's arguments: `input` and `output` as each kernel names them in its doc. */
export interface Pool2dArgs extends WindowArgs {
  x: FloatArray;
  out: FloatArray;
}

/** Arguments of the pooling backward range kernels. */
export interface Pool2dBackwardArgs extends WindowArgs {
  /** The forward input (max pooling finds each window's maximum again); unused by the average. */
  x: FloatArray | null;
  dy: FloatArray;
  dx: FloatArray;
}

/**
 * The maximum of window `(n, oh, ow)` for every channel into `best`, and the tap it is at
 * (`fy * filterWidth + fx`) into `bestTap`: taps in window order, padding skipped, the first
 * maximum kept on ties (a strict `>`), the first NaN kept once met.
 */
function windowMax(args: Pool2dBackwardArgs | Pool2dArgs, x: FloatArray, n: number, oh: number, ow: number, best: Float64Array, bestTap: Float64Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw, padTop, padLeft } = args;
  let first = true;
  for (let fy = 0; fy < FH; fy++) {
    const ih = oh * sh - padTop + fy;
    if (ih < 0 || ih >= H) continue;
    for (let fx = 0; fx < FW; fx++) {
      const iw = ow * sw - padLeft + fx;
      if (iw < 0 || iw >= W) continue;
      const src = ((n * H + ih) * W + iw) * C;
      const tap = fy * FW + fx;
      if (first) {
        for (let c = 0; c < C; c++) {
          best[c] = x[src + c]!;
          bestTap[c] = tap;
        }
        first = false;
        continue;
      }
      for (let c = 0; c < C; c++) {
        const v = x[src + c]!;
        const b = best[c]!;
        if (b === b && (v > b || v !== v)) {
          best[c] = v;
          bestTap[c] = tap;
        }
      }
    }
  }
}

/**
 * Units are output pixels; every channel's maximum over the window, by `windowMax`'s rule
 * (written out here without the tap bookkeeping: the hot path of inference).
 */
export const maxPool: RangeKernel<Pool2dArgs> = (args, start, end) => {
  const { x, out, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = args;
  const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = args;
  for (let p = start; p < end; p++) {
    const n = Math.floor(p / (OH * OW));
    const rest = p - n * OH * OW;
    const oh = Math.floor(rest / OW);
    const ow = rest - oh * OW;
    const dst = p * C;
    let first = true;
    for (let fy = 0; fy < FH; fy++) {
      const ih = oh * sh - padTop + fy;
      if (ih < 0 || ih >= H) continue;
      for (let fx = 0; fx < FW; fx++) {
        const iw = ow * sw - padLeft + fx;
        if (iw < 0 || iw >= W) continue;
        const src = ((n * H + ih) * W + iw) * C;
        if (first) {
          for (let c = 0; c < C; c++) out[dst + c] = x[src + c]!;
          first = false;
          continue;
        }
        for (let c = 0; c < C; c++) {
          const v = x[src + c]!;
          const b = out[dst + c]!;
          if (b === b && (v > b || v !== v)) out[dst + c] = v;
        }
      }
    }
  }
};

/** Units are output pixels; a float64 sum over the taps inside the input, in window order, divided by their count. */
export const avgPool: RangeKernel<Pool2dArgs> = (args, start, end) => {
  const { x, out, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = args;
  const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = args;
  const acc = scratch(SCRATCH_CHANNELS, C);
  for (let p = start; p < end; p++) {
    const n = Math.floor(p / (OH * OW));
    const rest = p - n * OH * OW;
    const oh = Math.floor(rest / OW);
    const ow = rest - oh * OW;
    for (let c = 0; c < C; c++) acc[c] = 0;
    let count = 0;
    for (let fy = 0; fy < FH; fy++) {
      const ih = oh * sh - padTop + fy;
      if (ih < 0 || ih >= H) continue;
      for (let fx = 0; fx < FW; fx++) {
        const iw = ow * sw - padLeft + fx;
        if (iw < 0 || iw >= W) continue;
        const src = ((n * H + ih) * W + iw) * C;
        for (let c = 0; c < C; c++) acc[c] = acc[c]! + x[src + c]!;
        count++;
      }
    }
    const dst = p * C;
    for (let c = 0; c < C; c++) out[dst + c] = acc[c]! / count;
  }
};

/** Taps of window `(oh, ow)` inside the input (pooling windows: no dilation). */
function insideCount(args: WindowArgs, oh: number, ow: number): number {
  const top = oh * args.strideHeight - args.padTop;
  const left = ow * args.strideWidth - args.padLeft;
  const h = Math.min(top + args.filterHeight, args.inHeight) - Math.max(top, 0);
  const w = Math.min(left + args.filterWidth, args.inWidth) - Math.max(left, 0);
  return h * w;
}

/**
 * Units are input pixels (a gather): for each window that reads the pixel, in `(fy, fx)` tap
 * order, the window's maximum is found again per channel, and where this pixel's tap holds it
 * the window's `dy` is added (a float64 sum in that order).
 */
export const maxPoolBackward: RangeKernel<Pool2dBackwardArgs> = (args, start, end) => {
  const { dy, dx, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = args;
  const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = args;
  const x = args.x!;
  const acc = scratch(SCRATCH_CHANNELS, 2 * C);
  const best = acc.subarray(C, 2 * C);
  const bestTap = scratch(SCRATCH_CHANNELS_2, C);
  for (let pixel = start; pixel < end; pixel++) {
    const n = Math.floor(pixel / (H * W));
    const rest = pixel - n * H * W;
    const ih = Math.floor(rest / W);
    const iw = rest - ih * W;
    for (let c = 0; c < C; c++) acc[c] = 0;
    for (let fy = 0; fy < FH; fy++) {
      const oh = readerOf(ih, fy, sh, padTop, 1, OH);
      if (oh < 0) continue;
      for (let fx = 0; fx < FW; fx++) {
        const ow = readerOf(iw, fx, sw, padLeft, 1, OW);
        if (ow < 0) continue;
        windowMax(args, x, n, oh, ow, best, bestTap);
        const tap = fy * FW + fx;
        const g = ((n * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) if (bestTap[c] === tap) acc[c] = acc[c]! + dy[g + c]!;
      }
    }
    const dst = pixel * C;
    for (let c = 0; c < C; c++) dx[dst + c] = acc[c]!;
  }
};

/**
 * The gradient of a max pool whose windows do not overlap (strides at least the window): units
 * are windows, each writing its `dy` at its maximum's position, per channel. Every element of
 * `dx` belongs to at most one window, so it is assigned once, never summed, and any split writes
 * the same bits; `dx` must be zero beforehand (the elements no window covers stay 0).
 */
export const maxPoolBackwardDisjoint: RangeKernel<Pool2dBackwardArgs> = (args, start, end) => {
  const { dy, dx, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterWidth: FW } = args;
  const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = args;
  const x = args.x!;
  const best = scratch(SCRATCH_CHANNELS, C);
  const bestTap = scratch(SCRATCH_CHANNELS_2, C);
  for (let p = start; p < end; p++) {
    const n = Math.floor(p / (OH * OW));
    const rest = p - n * OH * OW;
    const oh = Math.floor(rest / OW);
    const ow = rest - oh * OW;
    windowMax(args, x, n, oh, ow, best, bestTap);
    const g = p * C;
    for (let c = 0; c < C; c++) {
      const tap = bestTap[c]!;
      const fx = tap % FW;
      const ih = oh * sh - padTop + (tap - fx) / FW;
      const iw = ow * sw - padLeft + fx;
      dx[((n * H + ih) * W + iw) * C + c] = dy[g + c]!;
    }
  }
};

/** Units are input pixels: the float64 sum of `dy / count` over the windows that read the pixel, in `(fy, fx)` tap order. */
export const avgPoolBackward: RangeKernel<Pool2dBackwardArgs> = (args, start, end) => {
  const { dy, dx, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = args;
  const { strideHeight: sh, strideWidth: sw, padTop, padLeft } = args;
  const acc = scratch(SCRATCH_CHANNELS, C);
  for (let pixel = start; pixel < end; pixel++) {
    const n = Math.floor(pixel / (H * W));
    const rest = pixel - n * H * W;
    const ih = Math.floor(rest / W);
    const iw = rest - ih * W;
    for (let c = 0; c < C; c++) acc[c] = 0;
    for (let fy = 0; fy < FH; fy++) {
      const oh = readerOf(ih, fy, sh, padTop, 1, OH);
      if (oh < 0) continue;
      for (let fx = 0; fx < FW; fx++) {
        const ow = readerOf(iw, fx, sw, padLeft, 1, OW);
        if (ow < 0) continue;
        const count = insideCount(args, oh, ow);
        const g = ((n * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) acc[c] = acc[c]! + dy[g + c]! / count;
      }
    }
    const dst = pixel * C;
    for (let c = 0; c < C; c++) dx[dst + c] = acc[c]!;
  }
};
