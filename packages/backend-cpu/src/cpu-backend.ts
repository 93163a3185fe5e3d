import {
  UNARY_OPS,
  type ActivationOp,
  type AdamOptions,
  type ArgReduceOp,
  type Backend,
  type BinaryOp,
  type FusedKernels,
  type MatmulOptions,
  type MomentumOptions,
  type ReduceOp,
  type RmspropOptions,
  type SgdOptions,
  type UnaryOp,
  type UnaryParams,
} from '@scratchnet/backend';
import type { Tensor, TypedArray } from '@scratchnet/tensor';
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

  /** Reads a tensor's elements for a kernel; bound once so planners can call it. */
  readonly #data: DataOf = (t) => this.dataOf(t);

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
}
