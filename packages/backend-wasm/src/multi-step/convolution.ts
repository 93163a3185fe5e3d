import type { Conv2dInfo } from '@scratchnet/backend';
import type { WindowArgs } from '@scratchnet/backend-cpu';
import type { Tensor } from '@scratchnet/tensor';
import { matmulJobs, wasm, type MatmulProduct } from '../kernels/translate.js';
import type { Job } from '../kernels/jobs.js';
import type { MultiStepRunner } from './runner.js';

/**
 * The convolution and its two gradients by im2col and the module's matmul, all in WebAssembly:
 *
 * - forward: each chunk of images' windows copied into rows (`im2colRows`), times the filter;
 * - input gradient: `dy` times the filter's transpose gives each window's row of tap gradients
 *   (in the element type), which `col2imPixels` sums per input pixel in float64, rounded once;
 * - filter gradient: the rows' transpose times `dy`, accumulated over chunks in the element type.
 *
 * A 1×1 filter at stride 1 without padding reads the input as it is: no copy. The matmuls sum in
 * the element type (as this backend's matmul does), so float32 results differ from the cpu
 * backend's float64 sums by rounding; every kernel writes each output unit the same way whatever
 * the thread split, so results are bitwise identical for every thread count. The composition
 * from the core (ops' gather + matmul) is what a backend without these kernels runs:
 * `bench/conv.mjs` measures both.
 */

/** Elements of im2col rows per chunk of images (as the cpu backend: about 1 MiB of float32). */
const CHUNK_ELEMENTS = 1 << 18;

function chunkImages(info: Conv2dInfo): number {
  const perImage = info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;
  return Math.max(1, Math.min(info.batch, Math.floor(CHUNK_ELEMENTS / Math.max(1, perImage))));
}

/** A tensor's address in the memory (read now: `data` re-views a grown memory). */
function at(t: Tensor): number {
  return t.data.byteOffset;
}

function sizeOf(t: Tensor): number {
  return t.dtype === 'float64' ? 8 : 4;
}

/** Whether im2col would copy the input unchanged: a 1×1 filter read at every pixel. */
function identityWindows(info: Conv2dInfo): boolean {
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.padTop === 0 &&
    info.padLeft === 0 &&
    info.outHeight === info.inHeight &&
    info.outWidth === info.inWidth
  );
}

const GEOMETRY_FIELDS = [
  'inHeight',
  'inWidth',
  'inChannels',
  'outHeight',
  'outWidth',
  'filterHeight',
  'filterWidth',
  'strideHeight',
  'strideWidth',
  'dilationHeight',
  'dilationWidth',
  'padTop',
  'padLeft',
] as const;

/** The geometry as int32s in a scratch block (assembly/convolution.ts reads them in this order). */
function writeGeometry(r: MultiStepRunner, slot: string, info: Conv2dInfo): number {
  const address = r.scratch(slot, GEOMETRY_FIELDS.length * 4);
  new Int32Array(r.buffer, address, GEOMETRY_FIELDS.length).set(GEOMETRY_FIELDS.map((f) => info[f]));
  return address;
}

/** The cpu backend's window arguments (`Conv2dInfo` without the padding's name and far sides). */
function windowArgs(info: Conv2dInfo): WindowArgs {
  const { padding: _padding, padBottom: _bottom, padRight: _right, ...args } = info;
  return args;
}

function runAll(r: MultiStepRunner, jobs: readonly Job[], op: string): void {
  for (const job of jobs) r.execute(job, job.kernel === 'matmulRows' || job.kernel === 'packB' ? `${op} (matmul)` : op);
}

function product(f64: boolean, a: number, b: number, out: number, m: number, k: number, n: number, flags: Partial<MatmulProduct>): MatmulProduct {
  return { a, b, out, f64, batch: 1, m, k, n, transposeA: false, transposeB: false, bShared: true, accumulate: false, ...flags };
}

export function conv2d(r: MultiStepRunner, x: Tensor, filter: Tensor, out: Tensor, info: Conv2dInfo): void {
  const op = 'conv2d';
  const f64 = x.dtype === 'float64';
  const size = sizeOf(x);
  const windowsPerImage = info.outHeight * info.outWidth;
  const rowLength = info.filterHeight * info.filterWidth * info.inChannels;
  if (identityWindows(info)) {
    runAll(r, matmulJobs(product(f64, at(x), at(filter), at(out), info.batch * windowsPerImage, rowLength, info.outChannels, {}), r.resources), op);
    return;
  }
  const images = chunkImages(info);
  const cols = r.scratch('cols', images * windowsPerImage * rowLength * size);
  const geometry = writeGeometry(r, 'geometry', info);
  for (let n0 = 0; n0 < info.batch; n0 += images) {
    const windows = Math.min(images, info.batch - n0) * windowsPerImage;
    const first = n0 * windowsPerImage;
    r.execute(wasm('im2colRows', f64, [at(x), cols, geometry, first], windows, 1, rowLength), op);
    const rows = at(out) + first * info.outChannels * size;
    runAll(r, matmulJobs(product(f64, cols, at(filter), rows, windows, rowLength, info.outChannels, {}), r.resources), op);
  }
}

export function conv2dBackpropInput(r: MultiStepRunner, dy: Tensor, filter: Tensor, dx: Tensor, info: Conv2dInfo): void {
  const op = 'conv2dBackpropInput';
  const f64 = dy.dtype === 'float64';
  const size = sizeOf(dy);
  const windowsPerImage = info.outHeight * info.outWidth;
  const pixelsPerImage = info.inHeight * info.inWidth;
  const rowLength = info.filterHeight * info.filterWidth * info.inChannels;
  if (identityWindows(info)) {
    // Each input pixel is read by one tap of one window: dx = dy @ filterᵀ.
    runAll(r, matmulJobs(product(f64, at(dy), at(filter), at(dx), info.batch * pixelsPerImage, info.outChannels, rowLength, { transposeB: true }), r.resources), op);
    return;
  }
  // col2imPixels lists a pixel's taps in the thread's scratch; a filter with more taps than that
  // holds (over 100,000: none in practice) takes the cpu backend's JavaScript col2im instead.
  const inModule = info.filterHeight * info.filterWidth * 4 <= r.threadScratchBytes;
  const images = chunkImages(info);
  const dcols = r.scratch('dcols', images * windowsPerImage * rowLength * size);
  const geometry = writeGeometry(r, 'geometry', info);
  for (let n0 = 0; n0 < info.batch; n0 += images) {
    const count = Math.min(images, info.batch - n0);
    const windows = count * windowsPerImage;
    const first = n0 * windowsPerImage;
    const grads = at(dy) + first * info.outChannels * size;
    runAll(r, matmulJobs(product(f64, grads, at(filter), dcols, windows, info.outChannels, rowLength, { transposeB: true }), r.resources), op);
    const cost = Math.max(1, (rowLength * windowsPerImage) / Math.max(1, pixelsPerImage));
    const pixels = count * pixelsPerImage;
    if (inModule) {
      r.execute(wasm('col2imPixels', f64, [dcols, at(dx), geometry, first, n0 * pixelsPerImage], pixels, 1, cost), op);
    } else {
      // Views made after the chunk's last allocation (the matmul's panels), so none is stale.
      const view = f64 ? new Float64Array(r.buffer as ArrayBuffer, dcols, windows * rowLength) : new Float32Array(r.buffer as ArrayBuffer, dcols, windows * rowLength);
      const args = { ...windowArgs(info), dcols: view, dx: dx.data as Float32Array, firstWindow: first, firstPixel: n0 * pixelsPerImage };
      r.execute({ type: 'js', kernel: 'col2im', args, units: pixels, grain: 1, cost }, op);
    }
  }
}

export function conv2dBackpropFilter(r: MultiStepRunner, x: Tensor, dy: Tensor, dfilter: Tensor, info: Conv2dInfo, accumulate: boolean): void {
  const op = 'conv2dBackpropFilter';
  const f64 = x.dtype === 'float64';
  const size = sizeOf(x);
  const windowsPerImage = info.outHeight * info.outWidth;
  const rowLength = info.filterHeight * info.filterWidth * info.inChannels;
  if (info.batch === 0 || windowsPerImage === 0) {
    // No windows: the gradient is zero.
    if (!accumulate) r.execute(wasm('fillSimd', false, [at(dfilter), 0, f64 ? 1 : 0], dfilter.size, 16, 1), op);
    return;
  }
  if (identityWindows(info)) {
    const rows = info.batch * windowsPerImage;
    runAll(r, matmulJobs(product(f64, at(x), at(dy), at(dfilter), rowLength, rows, info.outChannels, { transposeA: true, accumulate }), r.resources), op);
    return;
  }
  const images = chunkImages(info);
  const cols = r.scratch('cols', images * windowsPerImage * rowLength * size);
  const geometry = writeGeometry(r, 'geometry', info);
  for (let n0 = 0, chunk = 0; n0 < info.batch; n0 += images, chunk++) {
    const windows = Math.min(images, info.batch - n0) * windowsPerImage;
    const first = n0 * windowsPerImage;
    r.execute(wasm('im2colRows', f64, [at(x), cols, geometry, first], windows, 1, rowLength), op);
    const grads = at(dy) + first * info.outChannels * size;
    const flags = { transposeA: true, accumulate: accumulate || chunk > 0 };
    runAll(r, matmulJobs(product(f64, cols, grads, at(dfilter), rowLength, windows, info.outChannels, flags), r.resources), op);
  }
}
