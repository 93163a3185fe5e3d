export { CpuBackend, type CpuBackendOptions } from './cpu-backend.js';
export { CONVOLUTION_ALGORITHMS, type ConvolutionAlgorithm } from './convolution.js';
export {
  kernels,
  runKernel,
  runKernelQueue,
  KERNEL_NAMES,
  type KernelName,
  type KernelTask,
  type KernelArgsMap,
} from './kernels/index.js';
export { MATMUL_ROW_TILE, type MatmulArgs } from './kernels/matmul.js';
export type { RangeQueue } from './kernels/range-queue.js';
export type { UnaryArgs } from './kernels/unary.js';
export type { WhereArgs } from './kernels/where.js';
export type { BinaryArgs, BinaryLayout } from './kernels/binary.js';
export type { ActivationBackwardArgs } from './kernels/activation-backward.js';
export type { ReduceArgs } from './kernels/reduce.js';
export type { ArgReduceArgs } from './kernels/arg-reduce.js';
export type { SoftmaxArgs, SoftmaxBackwardArgs } from './kernels/softmax.js';
export type { SoftmaxCrossentropyArgs } from './kernels/softmax-crossentropy.js';
export type { GatherArgs } from './kernels/gather.js';
export type { TransposeArgs } from './kernels/transpose.js';
export type { FillArgs, CopyArgs } from './kernels/fill-copy-cast.js';
export type { SgdArgs, MomentumArgs, AdamArgs, RmspropArgs } from './kernels/optimizers.js';
export type { FloatArray, NumericArray, RangeKernel } from './kernels/types.js';
export type { WindowArgs } from './kernels/window.js';
export type { Im2colArgs, Col2imArgs } from './kernels/im2col.js';
export type { AddIntoArgs } from './kernels/add-into.js';
export type { Conv2dDirectArgs, Conv2dBackpropInputDirectArgs, Conv2dBackpropFilterDirectArgs } from './kernels/conv2d-direct.js';
export type { Pool2dArgs, Pool2dBackwardArgs } from './kernels/pool2d.js';
export { BATCH_NORM_BLOCK, type BatchNormPartialsArgs, type BatchNormCombineArgs, type BatchNormApplyArgs } from './kernels/batch-normalization.js';
export type { DataOf } from './plan.js';
