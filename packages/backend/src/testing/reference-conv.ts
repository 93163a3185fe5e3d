import type { Tensor } from '@scratchnet/tensor';
import type { Conv2dInfo } from '../spec/conv2d-info.js';

/**
 * The convolution family as the most obvious loops, in float64, for the ReferenceBackend: each
 * formula of the contract written out directly (the gradients as the adjoint of the forward
 * loop: every product the forward pass adds is sent back to both of its factors). Checked
 * against NumPy fixtures and central differences.
 */

/** Flat index of `x[n, h, w, c]` in an NHWC tensor of height `H`, width `W`, channels `C`. */
function at(n: number, h: number, w: number, c: number, H: number, W: number, C: number): number {
  return ((n * H + h) * W + w) * C + c;
}

/** Calls `fn(n, oh, ow, ih, iw, fy, fx)` for every tap of every window that falls inside the input. */
function forEachTap(
  info: Conv2dInfo,
  fn: (n: number, oh: number, ow: number, ih: number, iw: number, fy: number, fx: number) => void,
): void {
  for (let n = 0; n < info.batch; n++) {
    for (let oh = 0; oh < info.outHeight; oh++) {
      for (let ow = 0; ow < info.outWidth; ow++) {
        for (let fy = 0; fy < info.filterHeight; fy++) {
          for (let fx = 0; fx < info.filterWidth; fx++) {
            const ih = oh * info.strideHeight - info.padTop + fy * info.dilationHeight;
            const iw = ow * info.strideWidth - info.padLeft + fx * info.dilationWidth;
            if (ih >= 0 && ih < info.inHeight && iw >= 0 && iw < info.inWidth) fn(n, oh, ow, ih, iw, fy, fx);
          }
        }
      }
    }
  }
}

function addAt(into: Float64Array, i: number, v: number): void {
  into[i] = into[i]! + v;
}

function store(into: Tensor, values: Float64Array, accumulate = false): void {
  for (let i = 0; i < values.length; i++) into.data[i] = accumulate ? into.data[i]! + values[i]! : values[i]!;
}

export function referenceConv2d(x: Tensor, filter: Tensor, out: Tensor, info: Conv2dInfo): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: O, filterWidth: FW } = info;
  const sums = new Float64Array(out.size);
  forEachTap(info, (n, oh, ow, ih, iw, fy, fx) => {
    for (let c = 0; c < C; c++) {
      const xv = x.data[at(n, ih, iw, c, H, W, C)]!;
      for (let o = 0; o < O; o++) addAt(sums, at(n, oh, ow, o, OH, OW, O), xv * filter.data[((fy * FW + fx) * C + c) * O + o]!);
    }
  });
  store(out, sums);
}

export function referenceConv2dBackpropInput(dy: Tensor, filter: Tensor, dx: Tensor, info: Conv2dInfo): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: O, filterWidth: FW } = info;
  const sums = new Float64Array(dx.size);
  forEachTap(info, (n, oh, ow, ih, iw, fy, fx) => {
    for (let c = 0; c < C; c++) {
      for (let o = 0; o < O; o++) addAt(sums, at(n, ih, iw, c, H, W, C), dy.data[at(n, oh, ow, o, OH, OW, O)]! * filter.data[((fy * FW + fx) * C + c) * O + o]!);
    }
  });
  store(dx, sums);
}

export function referenceConv2dBackpropFilter(x: Tensor, dy: Tensor, dfilter: Tensor, info: Conv2dInfo, accumulate: boolean): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: O, filterWidth: FW } = info;
  const sums = new Float64Array(dfilter.size);
  forEachTap(info, (n, oh, ow, ih, iw, fy, fx) => {
    for (let c = 0; c < C; c++) {
      for (let o = 0; o < O; o++) addAt(sums, ((fy * FW + fx) * C + c) * O + o, x.data[at(n, ih, iw, c, H, W, C)]! * dy.data[at(n, oh, ow, o, OH, OW, O)]!);
    }
  });
  store(dfilter, sums, accumulate);
}

/**
 * For each window and channel, the flat input index of its maximum: the first in window order
 * on ties, the first NaN if any.
 */
function windowMaxima(x: Tensor, info: Conv2dInfo): Int32Array {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const argmax = new Int32Array(info.batch * OH * OW * C).fill(-1);
  forEachTap(info, (n, oh, ow, ih, iw) => {
    for (let c = 0; c < C; c++) {
      const o = at(n, oh, ow, c, OH, OW, C);
      const i = at(n, ih, iw, c, H, W, C);
      const best = argmax[o]!;
      const v = x.data[i]!;
      if (best === -1) argmax[o] = i;
      else if (x.data[best] === x.data[best] && (v > x.data[best]! || v !== v)) argmax[o] = i;
    }
  });
  return argmax;
}

export function referenceMaxPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
  const argmax = windowMaxima(x, info);
  for (let o = 0; o < out.size; o++) out.data[o] = x.data[argmax[o]!]!;
}

export function referenceAvgPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const sums = new Float64Array(out.size);
  const counts = new Float64Array(out.size);
  forEachTap(info, (n, oh, ow, ih, iw) => {
    for (let c = 0; c < C; c++) {
      addAt(sums, at(n, oh, ow, c, OH, OW, C), x.data[at(n, ih, iw, c, H, W, C)]!);
      addAt(counts, at(n, oh, ow, c, OH, OW, C), 1);
    }
  });
  for (let o = 0; o < out.size; o++) out.data[o] = sums[o]! / counts[o]!;
}

export function referenceMaxPoolBackward(x: Tensor, dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
  const argmax = windowMaxima(x, info);
  const sums = new Float64Array(dx.size);
  for (let o = 0; o < dy.size; o++) addAt(sums, argmax[o]!, dy.data[o]!);
  store(dx, sums);
}

export function referenceAvgPoolBackward(dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const counts = new Float64Array(info.batch * OH * OW);
  forEachTap(info, (n, oh, ow) => addAt(counts, (n * OH + oh) * OW + ow, 1));
  const sums = new Float64Array(dx.size);
  forEachTap(info, (n, oh, ow, ih, iw) => {
    const count = counts[(n * OH + oh) * OW + ow]!;
    for (let c = 0; c < C; c++) addAt(sums, at(n, ih, iw, c, H, W, C), dy.data[at(n, oh, ow, c, OH, OW, C)]! / count);
  });
  store(dx, sums);
}
