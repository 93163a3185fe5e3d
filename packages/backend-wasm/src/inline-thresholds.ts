import type { JsKernel, WasmKernel } from './kernels/jobs.js';

/** Kernels with an inline threshold: the kernel module's and the JavaScript ones. */
export type ThresholdName = WasmKernel | JsKernel;

/**
 * Below these amounts of work (`units × cost` of a job: rows × 2nk for matmul, elements × the cpu
 * planner's per-element cost elsewhere) a kernel call runs on the calling thread alone; handing
 * out ranges would cost more than it saves. See bench/inline-threshold.mjs for how they were
 * measured and the package README for the table.
 */
export const DEFAULT_INLINE_THRESHOLDS: Readonly<Record<ThresholdName, number>> = {
  // The kernel module's.
  packB: 262_144,
  matmulRows: 1_048_576,
  unarySimd: 65_536,
  binarySimd: 65_536,
  activationBackward: 65_536,
  reduceColumns: 65_536,
  sgd: 131_072,
  momentum: 131_072,
  adam: 262_144,
  rmsprop: 262_144,
  gather: 65_536,
  copyMemory: 262_144,
  fillSimd: 262_144,
  castSimd: 131_072,
  transcendental: 40_960,
  softmaxRows: 58_880,
  softmaxBackwardRows: 40_960,
  crossEntropyRows: 66_560,
  binaryStrided: 32_768,
  reduceRows: 32_768,
  argReduceAxis: 16_384,
  transposeWalk: 49_152,
  whereSelect: 65_536,
  // JavaScript (the cpu backend's range kernels).
  matmul: Infinity,
  unary: 40_960,
  binary: 32_768,
  reduce: 32_768,
  argReduce: 16_384,
  softmax: 58_880,
  logSoftmax: 58_880,
  softmaxBackward: 40_960,
  softmaxCrossEntropy: 66_560,
  transpose: 49_152,
  fill: 131_072,
  copy: 262_144,
  cast: 32_768,
};
