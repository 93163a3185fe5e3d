import { scratch, SCRATCH_CHANNELS, SCRATCH_COLUMN_TABLE, SCRATCH_ROW_TABLE } from './scratch.js';
import type { FloatArray, RangeKernel } from './types.js';
import { readerTable, tapTable, type WindowArgs } from './window.js';

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
  const rows = tapTable(scratch(SCRATCH_ROW_TABLE, OH * FH), OH, FH, args.strideHeight, args.padTop, args.dilationHeight, H);
  const columns = tapTable(scratch(SCRATCH_COLUMN_TABLE, OW * FW), OW, FW, args.strideWidth, args.padLeft, args.dilationWidth, W);
  const rowLength = FH * FW * C;
  for (let u = start; u < end; u++) {
    const p = args.firstWindow + u;
    const n = Math.floor(p / (OH * OW));
    const rest = p - n * OH * OW;
    const oh = Math.floor(rest / OW);
    const ow = rest - oh * OW;
    let dst = u * rowLength;
    for (let fy = 0; fy < FH; fy++) {
      const ih = rows[oh * FH + fy]!;
      if (ih < 0) {
        for (let e = dst + FW * C; dst < e; dst++) cols[dst] = 0;
        continue;
      }
      const base = (n * H + ih) * W;
      if (C === 1) {
        // One channel (a first layer): one element per tap, no inner loop.
        for (let fx = 0; fx < FW; fx++, dst++) {
          const iw = columns[ow * FW + fx]!;
          cols[dst] = iw < 0 ? 0 : x[base + iw]!;
        }
        continue;
      }
      for (let fx = 0; fx < FW; fx++, dst += C) {
        const iw = columns[ow * FW + fx]!;
        if (iw < 0) {
          for (let c = 0; c < C; c++) cols[dst + c] = 0;
        } else {
          const src = (base + iw) * C;
          for (let c = 0; c < C; c++) cols[dst + c] = x[src + c]!;
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
  const readerRows = readerTable(scratch(SCRATCH_ROW_TABLE, H * FH), H, FH, args.strideHeight, args.padTop, args.dilationHeight, OH);
  const readerColumns = readerTable(scratch(SCRATCH_COLUMN_TABLE, W * FW), W, FW, args.strideWidth, args.padLeft, args.dilationWidth, OW);
  const acc = scratch(SCRATCH_CHANNELS, C);
  const rowLength = FH * FW * C;
  for (let u = start; u < end; u++) {
    const pixel = args.firstPixel + u;
    const n = Math.floor(pixel / (H * W));
    const rest = pixel - n * H * W;
    const ih = Math.floor(rest / W);
    const iw = rest - ih * W;
    const dst = pixel * C;
    if (C === 1) {
      // One channel: a scalar sum, same order.
      let s = 0;
      for (let fy = 0; fy < FH; fy++) {
        const oh = readerRows[ih * FH + fy]!;
        if (oh < 0) continue;
        const windowRow = (n * OH + oh) * OW - args.firstWindow;
        for (let fx = 0; fx < FW; fx++) {
          const ow = readerColumns[iw * FW + fx]!;
          if (ow >= 0) s += dcols[(windowRow + ow) * rowLength + fy * FW + fx]!;
        }
      }
      dx[dst] = s;
      continue;
    }
    for (let c = 0; c < C; c++) acc[c] = 0;
    for (let fy = 0; fy < FH; fy++) {
      const oh = readerRows[ih * FH + fy]!;
      if (oh < 0) continue;
      const windowRow = (n * OH + oh) * OW - args.firstWindow;
      for (let fx = 0; fx < FW; fx++) {
        const ow = readerColumns[iw * FW + fx]!;
        if (ow < 0) continue;
        const src = (windowRow + ow) * rowLength + (fy * FW + fx) * C;
        for (let c = 0; c < C; c++) acc[c] = acc[c]! + dcols[src + c]!;
      }
    }
    for (let c = 0; c < C; c++) dx[dst + c] = acc[c]!;
  }
};
