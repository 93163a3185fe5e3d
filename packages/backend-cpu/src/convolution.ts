import type { Conv2dInfo } from '@scratchnet/backend';
import type { FloatDType, Tensor } from '@scratchnet/tensor';
import type { KernelRunner } from './kernel-runner.js';
import type { KernelTask } from './kernels/index.js';
import type { FloatArray } from './kernels/types.js';
import { matmulTask } from './plan.js';
import { windowArgs } from './kernels/window.js';

/**
 * How the cpu backend computes a convolution and its two gradients:
 *
 * - `im2col` (the default): copy each window into a row (`im2col`), multiply the rows by the
 *   filter with the register-tiled matmul, and for the input gradient multiply `dy` by the
 *   filter's transpose and gather each input pixel's taps back (`col2im`); a batch goes a chunk
 *   of images at a time, so the copies stay small.
 * - `direct`: one loop nest per kernel reading the tensors in place (no scratch memory).
 *
 * Measured with `bench/conv.mjs` on the demo's CNN layers (batch 64, float32, one thread):
 * im2col was 1.4–3.8× faster wherever a layer has more than one input channel, and within the
 * timing noise of direct on the first layers (one input channel, 9 or 25 taps), so it is the
 * default for every shape; the README has the table.
 */
export type ConvolutionAlgorithm = 'im2col' | 'direct';

/** The ways the cpu backend can compute a convolution (`CpuBackendOptions.convolution`). */
export const CONVOLUTION_ALGORITHMS: readonly ConvolutionAlgorithm[] = ['im2col', 'direct'];

/**
 * Elements of im2col rows per chunk of images: about 1 MiB of float32 (2 MiB of float64 for the
 * input gradient's rows), so a chunk's rows are still in cache when the matmul reads them, and a
 * batch of any size needs no more scratch than this (or one image's rows, if larger).
 */
const CHUNK_ELEMENTS = 1 << 18;

function chunkImages(info: Conv2dInfo): number {
  const perImage = info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;
  return Math.max(1, Math.min(info.batch, Math.floor(CHUNK_ELEMENTS / Math.max(1, perImage))));
}

function im2colTask(r: KernelRunner, x: Tensor, cols: FloatArray, info: Conv2dInfo, firstWindow: number, windows: number): KernelTask {
  const rowLength = info.filterHeight * info.filterWidth * info.inChannels;
  return {
    kernel: 'im2col',
    args: { ...windowArgs(info), x: r.data(x) as FloatArray, cols, firstWindow },
    units: windows,
    grain: 1,
    cost: rowLength,
  };
}

/** A matmul over one im2col buffer: 2-D operands, B shared by every row. */
function convMatmul(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  m: number,
  k: number,
  n: number,
  flags: { transposeA?: boolean; transposeB?: boolean; accumulate?: boolean },
): KernelTask {
  return matmulTask({
    a,
    b,
    out,
    batch: 1,
    m,
    n,
    k,
    transposeA: flags.transposeA ?? false,
    transposeB: flags.transposeB ?? false,
    bShared: true,
    accumulate: flags.accumulate ?? false,
  });
}

export function runConv2d(r: KernelRunner, x: Tensor, filter: Tensor, out: Tensor, info: Conv2dInfo, algorithm: ConvolutionAlgorithm): void {
  const windowsPerImage = info.outHeight * info.outWidth;
  const taps = info.filterHeight * info.filterWidth;
  const rowLength = taps * info.inChannels;
  if (algorithm === 'direct') {
    r.run({
      kernel: 'conv2dDirect',
      args: { ...windowArgs(info), x: r.data(x) as FloatArray, filter: r.data(filter) as FloatArray, out: r.data(out) as FloatArray },
      units: info.batch * windowsPerImage,
      grain: 1,
      cost: 2 * rowLength * info.outChannels,
    });
    return;
  }
  const images = chunkImages(info);
  const cols = r.data(r.scratch('cols', x.dtype as FloatDType, images * windowsPerImage * rowLength)) as FloatArray;
  const o = r.data(out) as FloatArray;
  const f = r.data(filter) as FloatArray;
  for (let n0 = 0; n0 < info.batch; n0 += images) {
    const windows = Math.min(images, info.batch - n0) * windowsPerImage;
    const first = n0 * windowsPerImage;
    r.run(im2colTask(r, x, cols, info, first, windows));
    const rows = o.subarray(first * info.outChannels, (first + windows) * info.outChannels);
    r.run(convMatmul(cols, f, rows, windows, rowLength, info.outChannels, {}));
  }
}

export function runConv2dBackpropInput(
  r: KernelRunner,
  dy: Tensor,
  filter: Tensor,
  dx: Tensor,
  info: Conv2dInfo,
  algorithm: ConvolutionAlgorithm,
): void {
  const windowsPerImage = info.outHeight * info.outWidth;
  const pixelsPerImage = info.inHeight * info.inWidth;
  const rowLength = info.filterHeight * info.filterWidth * info.inChannels;
  if (algorithm === 'direct') {
    r.run({
      kernel: 'conv2dBackpropInputDirect',
      args: { ...windowArgs(info), dy: r.data(dy) as FloatArray, filter: r.data(filter) as FloatArray, dx: r.data(dx) as FloatArray },
      units: info.batch * pixelsPerImage,
      grain: 1,
      // Taps read each pixel about (filter / stride)² times per axis pair.
      cost: Math.max(1, (2 * rowLength * info.outChannels * windowsPerImage) / pixelsPerImage),
    });
    return;
  }
  const images = chunkImages(info);
  // The taps' gradients in float64, so that col2im sums them with one rounding per element.
  const dcols = r.data(r.scratch('dcols', 'float64', images * windowsPerImage * rowLength)) as FloatArray;
  const g = r.data(dy) as FloatArray;
  const f = r.data(filter) as FloatArray;
  const d = r.data(dx) as FloatArray;
  for (let n0 = 0; n0 < info.batch; n0 += images) {
    const count = Math.min(images, info.batch - n0);
    const windows = count * windowsPerImage;
    const first = n0 * windowsPerImage;
    const grads = g.subarray(first * info.outChannels, (first + windows) * info.outChannels);
    r.run(convMatmul(grads, f, dcols, windows, info.outChannels, rowLength, { transposeB: true }));
    r.run({
      kernel: 'col2im',
      args: { ...windowArgs(info), dcols, dx: d, firstWindow: first, firstPixel: n0 * pixelsPerImage },
      units: count * pixelsPerImage,
      grain: 1,
      cost: Math.max(1, (rowLength * windowsPerImage) / pixelsPerImage),
    });
  }
}

export function runConv2dBackpropFilter(
  r: KernelRunner,
  x: Tensor,
  dy: Tensor,
  dfilter: Tensor,
  info: Conv2dInfo,
  accumulate: boolean,
  algorithm: ConvolutionAlgorithm,
): void {
  const windowsPerImage = info.outHeight * info.outWidth;
  const rowLength = info.filterHeight * info.filterWidth * info.inChannels;
  const df = r.data(dfilter) as FloatArray;
  if (algorithm === 'direct') {
    r.run({
      kernel: 'conv2dBackpropFilterDirect',
      args: { ...windowArgs(info), x: r.data(x) as FloatArray, dy: r.data(dy) as FloatArray, dfilter: df, accumulate },
      units: rowLength,
      grain: 1,
      cost: 2 * info.batch * windowsPerImage * info.outChannels,
    });
    return;
  }
  if (info.batch === 0) {
    // No windows: the gradient is zero.
    if (!accumulate) r.run({ kernel: 'fill', args: { out: df, value: 0 }, units: df.length, grain: 1, cost: 1 });
    return;
  }
  const images = chunkImages(info);
  const chunks = Math.ceil(info.batch / images);
  const cols = r.data(r.scratch('cols', x.dtype as FloatDType, images * windowsPerImage * rowLength)) as FloatArray;
  const g = r.data(dy) as FloatArray;
  // One chunk: the matmul's float64 sums land in dfilter directly. Several: they are added up in
  // float64 scratch first and rounded into dfilter once.
  const sum = chunks === 1 ? df : (r.data(r.scratch('dfilter', 'float64', rowLength * info.outChannels)) as Float64Array);
  for (let c = 0, n0 = 0; c < chunks; c++, n0 += images) {
    const windows = Math.min(images, info.batch - n0) * windowsPerImage;
    const first = n0 * windowsPerImage;
    r.run(im2colTask(r, x, cols, info, first, windows));
    const grads = g.subarray(first * info.outChannels, (first + windows) * info.outChannels);
    r.run(convMatmul(cols, grads, sum, rowLength, windows, info.outChannels, { transposeA: true, accumulate: chunks === 1 ? accumulate : c > 0 }));
  }
  if (chunks > 1) {
    r.run({ kernel: 'addInto', args: { sum: sum as Float64Array, out: df, accumulate }, units: df.length, grain: 1, cost: 1 });
  }
}
