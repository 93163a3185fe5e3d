import { scratch, SCRATCH_CHANNELS } from './scratch.js';
import type { FloatArray, RangeKernel } from './types.js';
import { readerOf, type WindowArgs } from './window.js';

/**
 * im2col: the windows `[firstWindow + start, firstWindow + end)` of `x` (NHWC) written as rows of
 * `cols`, `[windows, filterHeight * filterWidth * inChannels]` in the filter's `(fy, fx, c)`
 * order, zero where a tap falls in the padding. Units are windows (output pixels). A copy, so
 * any split writes the same bits.
 */
export interface Im2colArgs extends WindowArgs {
  x: FloatArray;
  cols: FloatArray;
  /** The window written to row 0 of `cols` (a convolution runs im2col a chunk of images at a time). */
  firstWindow: number;
}

export const im2col: RangeKernel<Im2colArgs> = (args, start, end) => {
  const { x, cols, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = args;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = args;
  const rowLength = FH * FW * C;
  for (let u = start; u < end; u++) {
    const p = args.firstWindow + u;
    const n = Math.floor(p / (OH * OW));
    const rest = p - n * OH * OW;
    const oh = Math.floor(rest / OW);
    const ow = rest - oh * OW;
    let dst = u * rowLength;
    for (let fy = 0; fy < FH; fy++) {
      const ih = oh * sh - padTop + fy * dh;
      const rowInside = ih >= 0 && ih < H;
      for (let fx = 0; fx < FW; fx++, dst += C) {
        const iw = ow * sw - padLeft + fx * dw;
        if (rowInside && iw >= 0 && iw < W) {
          const src = ((n * H + ih) * W + iw) * C;
          for (let c = 0; c < C; c++) cols[dst + c] = x[src + c]!;
        } else {
          for (let c = 0; c < C; c++) cols[dst + c] = 0;
        }
      }
    }
  }
};

/**
 * col2im as a gather: input pixel `firstPixel + u` of `dx` is the float64 sum, over the taps
 * that read it in increasing `(fy, fx)`, of that tap's row segment of `dcols` (the gradient of
 * each window's im2col row, for windows from `firstWindow`). Each input element is summed in
 * one fixed order by one unit, never scattered into, so any split gives the same bits.
 */
export interface Col2imArgs extends WindowArgs {
  dcols: FloatArray;
  dx: FloatArray;
  firstWindow: number;
  firstPixel: number;
}

export const col2im: RangeKernel<Col2imArgs> = (args, start, end) => {
  const { dcols, dx, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = args;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = args;
  const acc = scratch(SCRATCH_CHANNELS, C);
  const rowLength = FH * FW * C;
  for (let u = start; u < end; u++) {
    const pixel = args.firstPixel + u;
    const n = Math.floor(pixel / (H * W));
    const rest = pixel - n * H * W;
    const ih = Math.floor(rest / W);
    const iw = rest - ih * W;
    for (let c = 0; c < C; c++) acc[c] = 0;
    for (let fy = 0; fy < FH; fy++) {
      const oh = readerOf(ih, fy, sh, padTop, dh, OH);
      if (oh < 0) continue;
      for (let fx = 0; fx < FW; fx++) {
        const ow = readerOf(iw, fx, sw, padLeft, dw, OW);
        if (ow < 0) continue;
        const src = ((n * OH + oh) * OW + ow - args.firstWindow) * rowLength + (fy * FW + fx) * C;
        for (let c = 0; c < C; c++) acc[c] = acc[c]! + dcols[src + c]!;
      }
    }
    const dst = pixel * C;
    for (let c = 0; c < C; c++) dx[dst + c] = acc[c]!;
  }
};
