import { kernels as cpuKernels, type KernelName, type RangeKernel } from '@scratchnet/backend-cpu';
import type { KernelExports } from '../module/exports.js';

/**
 * A kernel call ready to run over output units `[0, units)` or in ranges on several threads.
 *
 * - A **wasm job** names an export of the kernel module and its arguments as numbers (byte
 *   addresses, sizes, codes, parameters): every thread runs it on its own instance of the module
 *   over the one shared memory, so it travels as a few words in the control block.
 * - A **js job** is one of the cpu backend's range kernels over typed arrays that view the
 *   backend's memory, for what the module has no kernel for (int32 arithmetic, pow, float to
 *   int32 casts). It travels as JSON with each array replaced by its address, dtype and length.
 *
 * `grain`: ranges split only at multiples of it. `cost`: rough work per unit, for the inline
 * thresholds. Every kernel writes each output unit the same way whatever range it falls in, so
 * any split gives the same bits.
 */
export type Job = WasmJob | JsJob;

export interface WasmJob {
  readonly type: 'wasm';
  readonly kernel: WasmKernel;
  /** float64 elements (the kernel's `_f64` export) rather than float32. */
  readonly f64: boolean;
  readonly args: readonly number[];
  readonly units: number;
  readonly grain: number;
  readonly cost: number;
}

export interface JsJob {
  readonly type: 'js';
  readonly kernel: JsKernel;
  readonly args: object;
  readonly units: number;
  readonly grain: number;
  readonly cost: number;
}

/** Everything a thread runs kernels with: its module instance and its own scratch block. */
export interface ThreadContext {
  readonly exports: KernelExports;
  /** Address of this thread's scratch (`threadScratchBytes()` bytes). */
  readonly scratch: number;
}

export const WASM_KERNELS = [
  'packB',
  'matmulRows',
  'unarySimd',
  'binarySimd',
  'activationBackward',
  'reduceColumns',
  'sgd',
  'momentum',
  'adam',
  'rmsprop',
  'gather',
  'copyMemory',
  'fillSimd',
  'castSimd',
  'transcendental',
  'softmaxRows',
  'softmaxBackwardRows',
  'crossEntropyRows',
  'binaryStrided',
  'reduceRows',
  'argReduceAxis',
  'transposeWalk',
  'whereSelect',
  'im2colRows',
  'col2imPixels',
] as const;
export type WasmKernel = (typeof WASM_KERNELS)[number];

type Runner = (ctx: ThreadContext, f64: boolean, a: ArrayLike<number>, start: number, end: number) => void;

// prettier-ignore
const RUNNERS: Record<WasmKernel, Runner> = {
  /** a: b, dst, k, n, transB, panels, bBatchStrideBytes, packedBatchBytes; units: batches × panels. */
  packB: (ctx, f64, a, start, end) => {
    const pack = f64 ? ctx.exports.packB_f64 : ctx.exports.packB_f32;
    const panels = a[5]!;
    for (let u = start; u < end;) {
      const batch = Math.floor(u / panels);
      const q0 = u - batch * panels;
      const q1 = Math.min(panels, q0 + (end - u));
      pack(a[0]! + batch * a[6]!, a[1]! + batch * a[7]!, a[2]!, a[3]!, a[4]!, q0, q1);
      u += q1 - q0;
    }
  },
  /** a: a, packedB, out, m, k, n, transA, bBatchBytes, accumulate; units: rows across batches. */
  matmulRows: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.matmul_f64 : ctx.exports.matmul_f32)(a[0]!, a[1]!, a[2]!, ctx.scratch, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, s, e),
  unarySimd: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.unary_f64 : ctx.exports.unary_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, s, e),
  binarySimd: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.binary_f64 : ctx.exports.binary_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, s, e),
  activationBackward: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.activationBackward_f64 : ctx.exports.activationBackward_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, s, e),
  reduceColumns: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.reduceColumns_f64 : ctx.exports.reduceColumns_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, ctx.scratch, s, e),
  sgd: (ctx, f64, a, s, e) => (f64 ? ctx.exports.sgd_f64 : ctx.exports.sgd_f32)(a[0]!, a[1]!, a[2]!, a[3]!, s, e),
  momentum: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.momentum_f64 : ctx.exports.momentum_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, s, e),
  adam: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.adam_f64 : ctx.exports.adam_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, s, e),
  /** a: param, grad, meanSquare, meanGrad (0: not centered), buffer (0: no momentum), lr, rho, epsilon, momentum. */
  rmsprop: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.rmsprop_f64 : ctx.exports.rmsprop_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, s, e),
  gather: (ctx, _f64, a, s, e) => ctx.exports.gather(a[0]!, a[1]!, a[2]!, a[3]!, s, e),
  /** a: src, dst, bytes per element. */
  copyMemory: (ctx, _f64, a, s, e) => ctx.exports.copyElements(a[0]!, a[1]!, a[2]!, s, e),
  /** a: out, value, element type (FILL_TYPES). */
  fillSimd: (ctx, _f64, a, s, e) => FILLS[a[2]!]!(ctx.exports)(a[0]!, a[1]!, s, e),
  /** a: src, dst, conversion (CASTS). */
  castSimd: (ctx, _f64, a, s, e) => CASTS[a[2]!]!(ctx.exports)(a[0]!, a[1]!, s, e),
  /** a: op (TRANSCENDENTAL_CODES), x, out, alpha (elu's). */
  transcendental: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.transcendental_f64 : ctx.exports.transcendental_f32)(a[0]!, a[1]!, a[2]!, a[3]!, s, e),
  /** a: kind (softmax 0, logSoftmax 1), x, out, cols; units: rows. */
  softmaxRows: (ctx, f64, a, s, e) => (f64 ? ctx.exports.softmax_f64 : ctx.exports.softmax_f32)(a[0]!, a[1]!, a[2]!, a[3]!, ctx.scratch, s, e),
  /** a: y, dy, dx, cols; units: rows. */
  softmaxBackwardRows: (ctx, f64, a, s, e) => (f64 ? ctx.exports.softmaxBackward_f64 : ctx.exports.softmaxBackward_f32)(a[0]!, a[1]!, a[2]!, a[3]!, s, e),
  /** a: logits, labels, sparse, losses, dlogits (0: none), gradScale, cols, skipZeroTargets; units: rows. */
  crossEntropyRows: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.crossEntropy_f64 : ctx.exports.crossEntropy_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, ctx.scratch, s, e),
  /** a: op, a, b, out, rank, shape, aStrides, bStrides (int32 arrays in the memory). */
  binaryStrided: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.binaryStrided_f64 : ctx.exports.binaryStrided_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, s, e),
  /** a: op, x, out, axisLen; units: rows (inner = 1). */
  reduceRows: (ctx, f64, a, s, e) => (f64 ? ctx.exports.reduceRows_f64 : ctx.exports.reduceRows_f32)(a[0]!, a[1]!, a[2]!, a[3]!, s, e),
  /** a: element type (0 float32, 1 float64, 2 int32), isMax, x, out, axisLen, inner. */
  argReduceAxis: (ctx, _f64, a, s, e) => ARG_REDUCES[a[0]!]!(ctx.exports)(a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, s, e),
  /** a: element bytes, x, out, rank, shape, strides (int32 arrays in the memory). */
  transposeWalk: (ctx, _f64, a, s, e) => ctx.exports.transpose(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, s, e),
  /** a: x, cols, geometry (int32s in the memory), firstWindow; units: windows. */
  im2colRows: (ctx, f64, a, s, e) => (f64 ? ctx.exports.im2col_f64 : ctx.exports.im2col_f32)(a[0]!, a[1]!, a[2]!, a[3]!, s, e),
  /** a: dcols, dx, geometry (int32s in the memory), firstWindow, firstPixel; units: input pixels. */
  col2imPixels: (ctx, f64, a, s, e) =>
    (f64 ? ctx.exports.col2im_f64 : ctx.exports.col2im_f32)(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, ctx.scratch, s, e),
  /** a: cond type (0 float32, 1 float64, 2 int32), element bytes, cond, a, b, out. */
  whereSelect: (ctx, _f64, a, s, e) => ctx.exports.where(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, s, e),
};

type ArgReduceExport = (exports: KernelExports) => (isMax: number, x: number, out: number, axisLen: number, inner: number, start: number, end: number) => void;
const ARG_REDUCES: readonly ArgReduceExport[] = [(x) => x.argReduce_f32, (x) => x.argReduce_f64, (x) => x.argReduce_i32];

type Exported = (exports: KernelExports) => (p: number, q: number, start: number, end: number) => void;

/** fillSimd's element types, by number. */
export const FILL_TYPES = ['float32', 'float64', 'int32'] as const;
const FILLS: readonly Exported[] = [(x) => x.fill_f32, (x) => x.fill_f64, (x) => x.fill_i32];

/** castSimd's conversions (source -> destination), by number. */
export const CASTS_BY_NAME = ['float32->float64', 'float64->float32', 'int32->float32', 'int32->float64'] as const;
const CASTS: readonly Exported[] = [(x) => x.cast_f32_f64, (x) => x.cast_f64_f32, (x) => x.cast_i32_f32, (x) => x.cast_i32_f64];

/** Runs units [start, end) of a wasm job (`args` may be the job's array or the control block's copy). */
export function runWasm(ctx: ThreadContext, kernel: WasmKernel, f64: boolean, args: ArrayLike<number>, start: number, end: number): void {
  RUNNERS[kernel](ctx, f64, args, start, end);
}

/** The JavaScript range kernels: the cpu backend's. */
export type JsKernel = KernelName;

const JS_KERNELS: Record<JsKernel, RangeKernel<never>> = cpuKernels;

/** Runs units [start, end) of a js job. */
export function runJs(kernel: JsKernel, args: object, start: number, end: number): void {
  (JS_KERNELS[kernel] as RangeKernel<object>)(args, start, end);
}

/** Every JavaScript kernel, in a fixed order (their numbers in the control block). */
export const JS_KERNEL_NAMES: readonly JsKernel[] = (Object.keys(JS_KERNELS) as JsKernel[]).sort();
