import { scratch, SCRATCH_CHANNELS, SCRATCH_CHANNELS_2 } from './scratch.js';
import type { FloatArray, RangeKernel } from './types.js';
import { readerOf, type WindowArgs } from './window.js';

/**
 * Direct convolution kernels: every output element one float64 sum in a fixed order, read
 * straight from the tensors (no im2col copy). The filter `[fh, fw, in, out]` keeps output
 * channels innermost, so the inner loops run over contiguous memory.
 */
export interface Conv2dDirectArgs extends WindowArgs {
  x: FloatArray;
  filter: FloatArray;
  out: FloatArray;
}

/**
 * Units are output pixels. Output channels go four at a time in local accumulators (a remainder
 * one at a time), each summing its taps in `(fy, fx, c)` order, so an element's value does not
 * depend on which block or range it fell in.
 */
export const conv2dDirect: RangeKernel<Conv2dDirectArgs> = (args, start, end) => {
  const { x, filter, out, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: O } = args;
  const { filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = args;
  // The input offsets and filter offsets of one window's taps inside the input.
  const taps = FH * FW;
  const xAt = scratch(SCRATCH_CHANNELS, taps);
  const wAt = scratch(SCRATCH_CHANNELS_2, taps);
  const o4 = O - (O % 4);
  for (let p = start; p < end; p++) {
    const n = Math.floor(p / (OH * OW));
    const rest = p - n * OH * OW;
    const oh = Math.floor(rest / OW);
    const ow = rest - oh * OW;
    let inside = 0;
    for (let fy = 0; fy < FH; fy++) {
      const ih = oh * sh - padTop + fy * dh;
      if (ih < 0 || ih >= H) continue;
      for (let fx = 0; fx < FW; fx++) {
        const iw = ow * sw - padLeft + fx * dw;
        if (iw < 0 || iw >= W) continue;
        xAt[inside] = ((n * H + ih) * W + iw) * C;
        wAt[inside] = (fy * FW + fx) * C * O;
        inside++;
      }
    }
    const dst = p * O;
    for (let o = 0; o < o4; o += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let t = 0; t < inside; t++) {
        const xs = xAt[t]!;
        let w = wAt[t]! + o;
        for (let c = 0; c < C; c++, w += O) {
          const xv = x[xs + c]!;
          s0 += xv * filter[w]!;
          s1 += xv * filter[w + 1]!;
          s2 += xv * filter[w + 2]!;
          s3 += xv * filter[w + 3]!;
        }
      }
      out[dst + o] = s0;
      out[dst + o + 1] = s1;
      out[dst + o + 2] = s2;
      out[dst + o + 3] = s3;
    }
    for (let o = o4; o < O; o++) {
      let s = 0;
      for (let t = 0; t < inside; t++) {
        const xs = xAt[t]!;
        let w = wAt[t]! + o;
        for (let c = 0; c < C; c++, w += O) s += x[xs + c]! * filter[w]!;
      }
      out[dst + o] = s;
    }
  }
};

/** Arguments of the direct (no im2col) input-gradient kernel. */
export interface Conv2dBackpropInputDirectArgs extends WindowArgs {
  dy: FloatArray;
  filter: FloatArray;
  dx: FloatArray;
}

/**
 * Units are input pixels (a gather): for each tap that reads the pixel, in `(fy, fx)` order,
 * each input channel adds the dot product of the window's `dy` row with the filter row.
 */
export const conv2dBackpropInputDirect: RangeKernel<Conv2dBackpropInputDirectArgs> = (args, start, end) => {
  const { dy, filter, dx, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: O } = args;
  const { filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = args;
  const acc = scratch(SCRATCH_CHANNELS, C);
  for (let pixel = start; pixel < end; pixel++) {
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
        const g = ((n * OH + oh) * OW + ow) * O;
        let w = (fy * FW + fx) * C * O;
        for (let c = 0; c < C; c++, w += O) {
          let s = 0;
          for (let o = 0; o < O; o++) s += dy[g + o]! * filter[w + o]!;
          acc[c] = acc[c]! + s;
        }
      }
    }
    const dst = pixel * C;
    for (let c = 0; c < C; c++) dx[dst + c] = acc[c]!;
  }
};

/** Arguments of the direct (no im2col) filter-gradient kernel. */
export interface Conv2dBackpropFilterDirectArgs extends WindowArgs {
  x: FloatArray;
  dy: FloatArray;
  dfilter: FloatArray;
  accumulate: boolean;
}

/**
 * Units are filter rows `(fy, fx, c)`, each `outChannels` sums over every window that has the
 * tap inside the input, in window order.
 */
export const conv2dBackpropFilterDirect: RangeKernel<Conv2dBackpropFilterDirectArgs> = (args, start, end) => {
  const { x, dy, dfilter, batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: O } = args;
  const { filterWidth: FW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padTop, padLeft } = args;
  const acc = scratch(SCRATCH_CHANNELS, O);
  for (let r = start; r < end; r++) {
    const c = r % C;
    const tap = (r - c) / C;
    const fx = tap % FW;
    const fy = (tap - fx) / FW;
    for (let o = 0; o < O; o++) acc[o] = 0;
    for (let n = 0; n < batch; n++) {
      for (let oh = 0; oh < OH; oh++) {
        const ih = oh * sh - padTop + fy * dh;
        if (ih < 0 || ih >= H) continue;
        for (let ow = 0; ow < OW; ow++) {
          const iw = ow * sw - padLeft + fx * dw;
          if (iw < 0 || iw >= W) continue;
          const xv = x[((n * H + ih) * W + iw) * C + c]!;
          const g = ((n * OH + oh) * OW + ow) * O;
          for (let o = 0; o < O; o++) acc[o] = acc[o]! + xv * dy[g + o]!;
        }
      }
    }
    const dst = r * O;
    if (args.accumulate) for (let o = 0; o < O; o++) dfilter[dst + o] = dfilter[dst + o]! + acc[o]!;
    else for (let o = 0; o < O; o++) dfilter[dst + o] = acc[o]!;
  }
};
