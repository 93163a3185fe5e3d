export { CpuBackend } from './cpu-backend.js';
export {
  kernels,
  runKernel,
  KERNEL_NAMES,
  type KernelName,
  type KernelTask,
  type KernelArgsMap,
} from './kernels/index.js';
export { MATMUL_ROW_TILE, type MatmulArgs } from './kernels/matmul.js';
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
export type { DataOf } from './plan.js';
