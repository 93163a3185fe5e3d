import type { Conv2dInfo } from '@scratchnet/backend';

/**
 * The geometry of a convolution or pooling window as flat numbers (a kernel's arguments must
 * survive `postMessage`): `Conv2dInfo` without its padding name and bottom/right padding, which
 * the sizes already imply.
 */
export interface WindowArgs {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

export function windowArgs(info: Conv2dInfo): WindowArgs {
  return {
    batch: info.batch,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padTop,
    padLeft: info.padLeft,
  };
}

/**
 * The output row (or column) whose tap `f` reads input row `i`, or -1: solves
 * `i = o * stride - pad + f * dilation` for an integer `o` in `[0, outSize)`.
 */
export function readerOf(i: number, f: number, stride: number, pad: number, dilation: number, outSize: number): number {
  const t = i + pad - f * dilation;
  if (t < 0) return -1;
  const o = Math.floor(t / stride);
  return o * stride === t && o < outSize ? o : -1;
}

/**
 * `table[o * taps + f]` = the input index tap `f` of output position `o` reads along one axis,
 * or -1 in the padding (im2col's lookup: no bounds checks per tap).
 */
export function tapTable(table: Float64Array, outSize: number, taps: number, stride: number, pad: number, dilation: number, inSize: number): Float64Array {
  for (let o = 0; o < outSize; o++) {
    for (let f = 0; f < taps; f++) {
      const i = o * stride - pad + f * dilation;
      table[o * taps + f] = i >= 0 && i < inSize ? i : -1;
    }
  }
  return table;
}

/**
 * `table[i * taps + f]` = the output position whose tap `f` reads input index `i` along one
 * axis, or -1 (col2im's lookup: no division per tap).
 */
export function readerTable(table: Float64Array, inSize: number, taps: number, stride: number, pad: number, dilation: number, outSize: number): Float64Array {
  for (let i = 0; i < inSize; i++) {
    for (let f = 0; f < taps; f++) table[i * taps + f] = readerOf(i, f, stride, pad, dilation, outSize);
  }
  return table;
}
