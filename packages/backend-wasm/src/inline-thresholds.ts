import type { JsKernel, WasmKernel } from './kernels/jobs.js';

/** Kernels with an inline threshold: the kernel module's and the JavaScript ones. */
export type ThresholdName = WasmKernel | JsKernel;

/**
 * Below these amounts of work (`units × cost` of a job: rows × 2nk for matmul, elements × the cpu
 * planner's per-element cost elsewhere) a kernel call runs on the calling thread alone.
 *
 * How they were chosen. A split costs about 3 µs when the workers are polling (the best of 40
 * short reps of a 1024-element relu: 1.4 µs inline, 4.3 µs split over 2 threads), so it pays from
 * roughly 8 µs of single-thread work; with a margin for a busy machine, a call is split when one
 * thread would spend about 15 µs on it. Each kernel's threshold is the work it does in 15 µs on
 * one thread, from `bench/kernels.mjs` (for example relu, 0.26 ns per element, splits from 64k
 * elements; Adam, about 3 ns per element at cost 15, from 4k elements: work 64k; a 64-wide
 * matmul at 25–40 GFLOP/s from 512k flops). Where one threshold covers cheap and expensive cases
 * (relu and sigmoid backward), the cheap one sets it, so no case is split at a loss.
 *
 * The crossover bench (`bench/inline-threshold.mjs`, each kernel inline against split at doubling
 * sizes) is the better source, but during development another process held one of the two cores
 * throughout and a split never got both: rerun it on an idle machine and pass `inlineThreshold`.
 * The JavaScript kernels keep the crossovers the worker backend measured for the very same
 * kernels with slower dispatch (posted tasks), which errs towards inline.
 */
export const DEFAULT_INLINE_THRESHOLDS: Readonly<Record<ThresholdName, number>> = {
  // The kernel module's.
  packB: 32_768,
  matmulRows: 524_288,
  unarySimd: 65_536,
  binarySimd: 65_536,
  activationBackward: 131_072,
  reduceColumns: 32_768,
  sgd: 98_304,
  momentum: 98_304,
  adam: 65_536,
  rmsprop: 65_536,
  gather: 196_608,
  copyMemory: 524_288,
  fillSimd: 262_144,
  castSimd: 131_072,
  transcendental: 65_536,
  softmaxRows: 40_960,
  softmaxBackwardRows: 65_536,
  crossEntropyRows: 32_768,
  binaryStrided: 196_608,
  reduceRows: 32_768,
  argReduceAxis: 32_768,
  transposeWalk: 65_536,
  whereSelect: 196_608,
  im2colRows: 16_384,
  col2imPixels: 16_384,
  // JavaScript: the cpu backend's range kernels under their own names (activationBackward,
  // gather and the optimizers share the module's names and thresholds above; only int32
  // arithmetic, pow and float-to-int32 casts still run as JavaScript).
  matmul: 131_072,
  unary: 40_960,
  binary: 32_768,
  reduce: 32_768,
  argReduce: 16_384,
  softmax: 58_880,
  logSoftmax: 58_880,
  softmaxBackward: 40_960,
  softmaxCrossentropy: 66_560,
  transpose: 49_152,
  fill: 131_072,
  copy: 262_144,
  cast: 32_768,
  where: 32_768,
  // The convolution, pooling and batch normalization range kernels: the worker backend's values
  // for the same JavaScript (derived there from inline rates on a busy machine, not crossovers).
  im2col: 16_384,
  col2im: 18_432,
  addInto: 25_600,
  conv2dDirect: 65_536,
  conv2dBackpropInputDirect: 65_536,
  conv2dBackpropFilterDirect: 56_320,
  maxPool: 8_192,
  avgPool: 16_384,
  maxPoolBackward: 13_312,
  maxPoolBackwardDisjoint: 5_120,
  avgPoolBackward: 10_240,
  batchNormPartials: 52_224,
  batchNormCombine: 33_792,
  batchNormApply: 51_200,
};
