import {
  UNARY_OPS,
  type ActivationOp,
  type AdamOptions,
  type ArgReduceOp,
  type Backend,
  type BinaryOp,
  type Conv2dInfo,
  type FusedKernels,
  type MatmulOptions,
  type MomentumOptions,
  type ReduceOp,
  type RmspropOptions,
  type SgdOptions,
  type UnaryOp,
  type UnaryParams,
} from '@scratchnet/backend';
import { ValueError, zeros, type FloatDType, type Tensor, type TypedArray } from '@scratchnet/tensor';
import { runBatchNormalization, runBatchNormalizationBackward, runMoments } from './batch-normalization.js';
import {
  CONVOLUTION_ALGORITHMS,
  runConv2d,
  runConv2dBackpropFilter,
  runConv2dBackpropInput,
  type ConvolutionAlgorithm,
} from './convolution.js';
import type { KernelRunner } from './kernel-runner.js';
import { runKernel, type KernelTask } from './kernels/index.js';
import {
  planActivationBackward,
  planAdam,
  planArgReduce,
  planBinary,
  planCopy,
  planFill,
  planGather,
  planMatmul,
  planMomentum,
  planPool,
  planPoolBackward,
  planReduce,
  planRmsprop,
  planSgd,
  planSoftmax,
  planSoftmaxBackward,
  planSoftmaxCrossentropy,
  planTranspose,
  planUnary,
  planWhere,
  type DataOf,
} from './plan.js';

/** Options of `new CpuBackend(options)`. */
export interface CpuBackendOptions {
  /**
   * How convolutions are computed: `'im2col'` (default: window rows times the filter through
   * the tiled matmul, measured the faster) or `'direct'` (loops over the tensors in place, no
   * scratch memory). Results differ only in rounding; each is bitwise stable across thread splits.
   */
  convolution?: ConvolutionAlgorithm;
}

/**
 * The plain-JavaScript backend: every kernel on the calling thread, in ordinary typed-array
 * memory (no allocator).
 *
 * Each method turns its tensors into a {@link KernelTask} — plain arrays and numbers, the
 * number of output units and how they may be split — and hands it to {@link CpuBackend.run},
 * which runs the whole range here. A threaded backend extends this class and overrides `run`
 * (to split the units over threads) and, if it needs its own memory, `dataOf`; every kernel
 * then comes for free and computes the very same bits.
 */
export class CpuBackend implements Backend, FusedKernels {
  readonly name: string = 'cpu';
  /** Every unary op of the spec, each with its own loop (and backward form). */
  readonly unaryOps: readonly UnaryOp[] = UNARY_OPS;
  /** The convolution algorithm in use (see `CpuBackendOptions.convolution`). */
  readonly convolution: ConvolutionAlgorithm;

  /** Reads a tensor's elements for a kernel; bound once so planners can call it. */
  readonly #data: DataOf = (t) => this.dataOf(t);
  /** Scratch tensors kept between calls (im2col rows, per-channel sums), by slot and dtype; grown when too small. */
  readonly #scratch = new Map<string, Tensor>();
  readonly #runner: KernelRunner = {
    run: (task) => this.run(task),
    data: this.#data,
    scratch: (slot, dtype, size) => this.#scratchTensor(slot, dtype, size),
  };

  constructor(options: CpuBackendOptions = {}) {
    if (options === null || typeof options !== 'object') {
      throw new ValueError(`CpuBackend: options must be an object, got ${String(options)}`);
    }
    const { convolution = 'im2col' } = options;
    if (!CONVOLUTION_ALGORITHMS.includes(convolution)) {
      throw new ValueError(
        `CpuBackend: convolution must be ${CONVOLUTION_ALGORITHMS.map((a) => `'${a}'`).join(' or ')}, got ${JSON.stringify(convolution)}`,
      );
    }
    this.convolution = convolution;
  }

  #scratchTensor(slot: string, dtype: FloatDType, size: number): Tensor {
    const key = `${slot}:${dtype}`;
    let t = this.#scratch.get(key);
    if (t === undefined || t.size < size) {
      // A creation function, so the storage is the library's own (a threaded backend may move it).
      t = zeros([size], { dtype });
      this.#scratch.set(key, t);
    }
    return t;
  }

  /** The elements a kernel reads and writes for `t`: its `data` view. */
  protected dataOf(t: Tensor): TypedArray {
    return t.data;
  }

  /** Runs a planned kernel call over all of its units. */
  protected run(task: KernelTask): void {
    runKernel(task, 0, task.units);
  }

  matmul(a: Tensor, b: Tensor, out: Tensor, options?: MatmulOptions): void {
    this.run(planMatmul(a, b, out, options, this.#data));
  }

  unary(op: UnaryOp, x: Tensor, out: Tensor, params?: UnaryParams): void {
    this.run(planUnary(op, x, out, params, this.#data));
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    this.run(planBinary(op, a, b, out, this.#data));
  }

  where(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void {
    this.run(planWhere(cond, a, b, out, this.#data));
  }

  activationBackward(op: ActivationOp, saved: Tensor, dy: Tensor, dx: Tensor, params?: UnaryParams): void {
    this.run(planActivationBackward(op, saved, dy, dx, params, this.#data));
  }

  reduce(op: ReduceOp, x: Tensor, axis: number, out: Tensor): void {
    this.run(planReduce(op, x, axis, out, this.#data));
  }

  argReduce(op: ArgReduceOp, x: Tensor, axis: number, out: Tensor): void {
    this.run(planArgReduce(op, x, axis, out, this.#data));
  }

  softmax(x: Tensor, out: Tensor): void {
    this.run(planSoftmax('softmax', x, out, this.#data));
  }

  logSoftmax(x: Tensor, out: Tensor): void {
    this.run(planSoftmax('logSoftmax', x, out, this.#data));
  }

  softmaxBackward(y: Tensor, dy: Tensor, dx: Tensor): void {
    this.run(planSoftmaxBackward(y, dy, dx, this.#data));
  }

  softmaxCrossentropy(logits: Tensor, labels: Tensor, losses: Tensor, dlogits: Tensor | null, gradScale: number): void {
    this.run(planSoftmaxCrossentropy(logits, labels, losses, dlogits, gradScale, this.#data));
  }

  gather(x: Tensor, indices: Tensor, out: Tensor): void {
    this.run(planGather(x, indices, out, this.#data));
  }

  transpose(x: Tensor, perm: readonly number[], out: Tensor): void {
    this.run(planTranspose(x, perm, out, this.#data));
  }

  fill(out: Tensor, value: number): void {
    this.run(planFill(out, value, this.#data));
  }

  copy(src: Tensor, dst: Tensor): void {
    this.run(planCopy('copy', src, dst, this.#data));
  }

  cast(src: Tensor, dst: Tensor): void {
    this.run(planCopy('cast', src, dst, this.#data));
  }

  sgdUpdate(param: Tensor, grad: Tensor, options: SgdOptions): void {
    this.run(planSgd(param, grad, options, this.#data));
  }

  momentumUpdate(param: Tensor, grad: Tensor, velocity: Tensor, options: MomentumOptions): void {
    this.run(planMomentum(param, grad, velocity, options, this.#data));
  }

  adamUpdate(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamOptions): void {
    this.run(planAdam(param, grad, m, v, options, this.#data));
  }

  rmspropUpdate(
    param: Tensor,
    grad: Tensor,
    meanSquare: Tensor,
    meanGrad: Tensor | null,
    buffer: Tensor | null,
    options: RmspropOptions,
  ): void {
    this.run(planRmsprop(param, grad, meanSquare, meanGrad, buffer, options, this.#data));
  }

  conv2d(x: Tensor, filter: Tensor, out: Tensor, info: Conv2dInfo): void {
    runConv2d(this.#runner, x, filter, out, info, this.convolution);
  }

  conv2dBackpropInput(dy: Tensor, filter: Tensor, dx: Tensor, info: Conv2dInfo): void {
    runConv2dBackpropInput(this.#runner, dy, filter, dx, info, this.convolution);
  }

  conv2dBackpropFilter(x: Tensor, dy: Tensor, dfilter: Tensor, info: Conv2dInfo, accumulate: boolean): void {
    runConv2dBackpropFilter(this.#runner, x, dy, dfilter, info, accumulate, this.convolution);
  }

  maxPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
    this.run(planPool('maxPool', x, out, info, this.#data));
  }

  avgPool(x: Tensor, out: Tensor, info: Conv2dInfo): void {
    this.run(planPool('avgPool', x, out, info, this.#data));
  }

  maxPoolBackward(x: Tensor, dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
    if (info.strideHeight >= info.filterHeight && info.strideWidth >= info.filterWidth) {
      // Windows do not overlap (the usual 2×2 stride 2): each window writes its maximum's
      // gradient once instead of every input pixel searching its window again.
      this.run(planFill(dx, 0, this.#data));
      this.run(planPoolBackward('maxPoolBackwardDisjoint', x, dy, dx, info, this.#data));
    } else {
      this.run(planPoolBackward('maxPoolBackward', x, dy, dx, info, this.#data));
    }
  }

  avgPoolBackward(dy: Tensor, dx: Tensor, info: Conv2dInfo): void {
    this.run(planPoolBackward('avgPoolBackward', null, dy, dx, info, this.#data));
  }

  moments(x: Tensor, mean: Tensor, variance: Tensor): void {
    runMoments(this.#runner, x, mean, variance);
  }

  batchNormalization(x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor | null, offset: Tensor | null, epsilon: number, out: Tensor): void {
    runBatchNormalization(this.#runner, x, mean, variance, scale, offset, epsilon, out);
  }

  batchNormalizationBackward(
    dy: Tensor,
    x: Tensor,
    mean: Tensor,
    variance: Tensor,
    scale: Tensor | null,
    epsilon: number,
    dx: Tensor,
    dscale: Tensor,
    doffset: Tensor,
  ): void {
    runBatchNormalizationBackward(this.#runner, dy, x, mean, variance, scale, epsilon, dx, dscale, doffset);
  }
}
