import { activationBackward, type ActivationBackwardArgs } from './activation-backward.js';
import { addInto, type AddIntoArgs } from './add-into.js';
import {
  batchNormApply,
  batchNormCombine,
  batchNormPartials,
  type BatchNormApplyArgs,
  type BatchNormCombineArgs,
  type BatchNormPartialsArgs,
} from './batch-normalization.js';
import {
  conv2dBackpropFilterDirect,
  conv2dBackpropInputDirect,
  conv2dDirect,
  type Conv2dBackpropFilterDirectArgs,
  type Conv2dBackpropInputDirectArgs,
  type Conv2dDirectArgs,
} from './conv2d-direct.js';
import { col2im, im2col, type Col2imArgs, type Im2colArgs } from './im2col.js';
import {
  avgPool,
  avgPoolBackward,
  maxPool,
  maxPoolBackward,
  maxPoolBackwardDisjoint,
  type Pool2dArgs,
  type Pool2dBackwardArgs,
} from './pool2d.js';
import { argReduce, type ArgReduceArgs } from './arg-reduce.js';
import { binary, type BinaryArgs } from './binary.js';
import { copy, fill, type CopyArgs, type FillArgs } from './fill-copy-cast.js';
import { gather, type GatherArgs } from './gather.js';
import { matmulQueue, matmulRows, type MatmulArgs } from './matmul.js';
import {
  adam,
  momentum,
  rmsprop,
  sgd,
  type AdamArgs,
  type MomentumArgs,
  type RmspropArgs,
  type SgdArgs,
} from './optimizers.js';
import { reduce, type ReduceArgs } from './reduce.js';
import { softmaxCrossentropy, type SoftmaxCrossentropyArgs } from './softmax-crossentropy.js';
import { logSoftmax, softmax, softmaxBackward, type SoftmaxArgs, type SoftmaxBackwardArgs } from './softmax.js';
import { transpose, type TransposeArgs } from './transpose.js';
import type { RangeQueue } from './range-queue.js';
import type { RangeKernel } from './types.js';
import { unary, type UnaryArgs } from './unary.js';
import { where, type WhereArgs } from './where.js';

/** The arguments each kernel takes, by kernel name. */
export interface KernelArgsMap {
  matmul: MatmulArgs;
  unary: UnaryArgs;
  binary: BinaryArgs;
  where: WhereArgs;
  activationBackward: ActivationBackwardArgs;
  reduce: ReduceArgs;
  argReduce: ArgReduceArgs;
  softmax: SoftmaxArgs;
  logSoftmax: SoftmaxArgs;
  softmaxBackward: SoftmaxBackwardArgs;
  softmaxCrossentropy: SoftmaxCrossentropyArgs;
  gather: GatherArgs;
  transpose: TransposeArgs;
  fill: FillArgs;
  copy: CopyArgs;
  cast: CopyArgs;
  sgd: SgdArgs;
  momentum: MomentumArgs;
  adam: AdamArgs;
  rmsprop: RmspropArgs;
  im2col: Im2colArgs;
  col2im: Col2imArgs;
  addInto: AddIntoArgs;
  conv2dDirect: Conv2dDirectArgs;
  conv2dBackpropInputDirect: Conv2dBackpropInputDirectArgs;
  conv2dBackpropFilterDirect: Conv2dBackpropFilterDirectArgs;
  maxPool: Pool2dArgs;
  avgPool: Pool2dArgs;
  maxPoolBackward: Pool2dBackwardArgs;
  maxPoolBackwardDisjoint: Pool2dBackwardArgs;
  avgPoolBackward: Pool2dBackwardArgs;
  batchNormPartials: BatchNormPartialsArgs;
  batchNormCombine: BatchNormCombineArgs;
  batchNormApply: BatchNormApplyArgs;
}

/**
 * The name of a range kernel (`matmul`, `unary`, `conv2dDirect`, …): what a {@link KernelTask}
 * runs, and the key of `WorkerBackend`'s per-kernel `inlineThreshold`.
 */
export type KernelName = keyof KernelArgsMap;

/**
 * One kernel call, ready to run over [0, units) or in pieces. `args` holds only typed arrays,
 * numbers, booleans, strings, number arrays and null, so it can be posted to a worker (with
 * SharedArrayBuffer-backed arrays, the worker writes the caller's memory).
 */
export type KernelTask<K extends KernelName = KernelName> = {
  [N in K]: {
    kernel: N;
    args: KernelArgsMap[N];
    /**
     * Output units: rows for matmul/reductions/softmax/gather; pixels (all channels of one
     * position) for im2col, col2im, the direct convolutions and pooling; filter rows for the
     * direct filter gradient; blocks of rows, sums and rows for batch normalization; elements
     * otherwise.
     */
    units: number;
    /** Ranges may be split only at multiples of this (matmul's row tile; 1 elsewhere). */
    grain: number;
    /** Rough flops per unit, so a threaded backend can keep small work inline. */
    cost: number;
    /**
     * Work (in the flops of `cost`) a kernel call spends once per range before its units — a
     * matmul packing a large B again — so a threaded backend does not cut the call into ranges
     * too small to repay it. Absent: 0.
     */
    rangeCost?: number;
  };
}[K];

/** Every kernel by name. `kernels[name](args, start, end)` computes units [start, end). */
export const kernels: { readonly [N in KernelName]: RangeKernel<KernelArgsMap[N]> } = {
  matmul: matmulRows,
  unary,
  binary,
  where,
  activationBackward,
  reduce,
  argReduce,
  softmax,
  logSoftmax,
  softmaxBackward,
  softmaxCrossentropy,
  gather,
  transpose,
  fill,
  copy,
  cast: copy,
  sgd,
  momentum,
  adam,
  rmsprop,
  im2col,
  col2im,
  addInto,
  conv2dDirect,
  conv2dBackpropInputDirect,
  conv2dBackpropFilterDirect,
  maxPool,
  avgPool,
  maxPoolBackward,
  maxPoolBackwardDisjoint,
  avgPoolBackward,
  batchNormPartials,
  batchNormCombine,
  batchNormApply,
};

/** Every {@link KernelName}, for checking a name read from input or tuning each kernel in turn. */
export const KERNEL_NAMES = Object.keys(kernels) as readonly KernelName[];

/** Runs units [start, end) of `task`: what a worker does with the slice it is handed. */
export function runKernel(task: KernelTask, start: number, end: number): void {
  (kernels[task.kernel] as RangeKernel<KernelTask['args']>)(task.args, start, end);
}

/**
 * Runs every range `queue` hands this thread, in the order taken: the same bits as `runKernel`
 * over each range, with per-call preparation (matmul's packing of B) done once for the queue.
 */
export function runKernelQueue(task: KernelTask, queue: RangeQueue): void {
  if (task.kernel === 'matmul') {
    matmulQueue(task.args, queue);
    return;
  }
  const kernel = kernels[task.kernel] as RangeKernel<KernelTask['args']>;
  while (queue.next()) kernel(task.args, queue.start, queue.end);
}
