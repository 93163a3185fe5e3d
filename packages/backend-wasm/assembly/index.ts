// The kernel module: every export is a range kernel over pointers into the imported memory
// (or a size helper). Built by scripts/build-kernels.mjs into generated/kernels-wasm.ts.

export { packB_f32, packB_f64, matmul_f32, matmul_f64, matmulPackedBytes_f32, matmulPackedBytes_f64 } from './matmul';
export { unary_f32, unary_f64 } from './unary';
export { binary_f32, binary_f64, binaryStrided_f32, binaryStrided_f64 } from './binary';
export { transpose } from './transpose';
export { where } from './where';
export { activationBackward_f32, activationBackward_f64 } from './activation-backward';
export { reduceColumns_f32, reduceColumns_f64, reduceRows_f32, reduceRows_f64, argReduce_f32, argReduce_f64, argReduce_i32 } from './reduce';
export { sgd_f32, sgd_f64, momentum_f32, momentum_f64, adam_f32, adam_f64, rmsprop_f32, rmsprop_f64 } from './optimizers';
export { gather } from './gather';
export { im2col_f32, im2col_f64, col2im_f32, col2im_f64 } from './convolution';
export { copyElements, fill_f32, fill_f64, fill_i32, cast_f32_f64, cast_f64_f32, cast_i32_f32, cast_i32_f64 } from './copy';

export { transcendental_f32, transcendental_f64, fdlibmExp, fdlibmLog, fdlibmExpm1, fdlibmTanh, fdlibmExpLanes } from './transcendental';
export { softmax_f32, softmax_f64, softmaxBackward_f32, softmaxBackward_f64, crossEntropy_f32, crossEntropy_f64 } from './softmax';

import { MATMUL_SCRATCH_BYTES, MR } from './matmul';
import { REDUCE_SCRATCH_BYTES } from './reduce';

/** Bytes of scratch memory each thread must be given (packed A and the edge tile; accumulators). */
export function threadScratchBytes(): i32 {
  return max(MATMUL_SCRATCH_BYTES, REDUCE_SCRATCH_BYTES);
}

/** Rows of matmul's register tile: ranges of rows split best at multiples of this. */
export function matmulRowTile(): i32 {
  return MR;
}

/** End of the module's static data: the host keeps its heap above this. */
export function heapBase(): usize {
  return __heap_base;
}
