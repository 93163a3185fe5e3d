import type { Allocator, Tensor } from '@scratchnet/tensor';
import type { BinaryOp } from './spec/binary.js';
import type { Conv2dInfo } from './spec/conv2d-info.js';
import type { UnaryParams } from './spec/params.js';
import type { ArgReduceOp, ReduceOp } from './spec/reduce.js';
import type { ActivationOp, UnaryOp } from './spec/unary.js';

/** The kernels every backend must implement (see the contract on `Backend`). */
export interface CoreKernels {
  /**
   * `out = op(a) @ op(b)` (+ `out` when `accumulate`), `op` transposing when its flag is set.
   * 2-D: `op(a)` is `[m,k]`, `op(b)` is `[k,n]`, `out` is `[m,n]`. Batched: `a` is `[batch,…]`,
   * `b` is `[batch,…]` or 2-D (shared by every batch), `out` is `[batch,m,n]`. Float dtypes,
   * all three the same. `out` aliases neither input.
   */
  matmul(a: Tensor, b: Tensor, out: Tensor, options?: MatmulOptions): void;

  /**
   * `out[i] = f(x[i])` as `UNARY_SPECS[op].forward` defines it, shapes equal, dtypes equal; `out`
   * may be `x`. `params` as the caller gave them: resolve defaults with `resolveUnaryParams`.
   * NaN in gives NaN out for every op, `relu` and `clip` included (as in PyTorch); `relu(-0)` is +0.
   */
  unary(op: UnaryOp, x: Tensor, out: Tensor, params?: UnaryParams): void;

  /**
   * `out[i] = f(a[ia], b[ib])` where `out.shape` is the broadcast of `a`'s and `b`'s shapes
   * (NumPy's rule).
   * `a` and `b` share a dtype; `out` has that dtype, except comparisons, which may write any dtype
   * (1 for true, 0 for false). `out` may be `a` or `b` when that input has `out`'s shape.
   */
  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void;

  /**
   * `out[i] = cond[i] !== 0 ? a[i] : b[i]` (a NaN condition counts as true). All four have the
   * same shape; `cond` may have any dtype; `a`, `b` and `out` share one. `out` may be `a`, `b`
   * or `cond` (when the dtypes agree).
   */
  where(cond: Tensor, a: Tensor, b: Tensor, out: Tensor): void;

  /**
   * Reduces `x` along `axis`: `x` is viewed as `[outer, x.shape[axis], inner]` and `out` as
   * `[outer, inner]` (its shape is `x.shape` without `axis`, or with it as 1). An empty axis
   * gives 0 for `sum`, NaN for `mean`, and -Infinity / Infinity for `max` / `min`. NaN
   * propagates (`REDUCE_SPECS`).
   */
  reduce(op: ReduceOp, x: Tensor, axis: number, out: Tensor): void;

  /**
   * Index of the first max (min) along `axis` into an `int32` `out`, viewed as for `reduce`; the
   * first NaN's index when there is one. `axis` is not empty unless `out` is.
   */
  argReduce(op: ArgReduceOp, x: Tensor, axis: number, out: Tensor): void;

  /** `out[i] = x[indices[i]]` along axis 0; `indices` is `int32` `[m]`, in range. */
  gather(x: Tensor, indices: Tensor, out: Tensor): void;

  /** `out` is `x` with axes permuted: `out.shape[i] = x.shape[perm[i]]`. */
  transpose(x: Tensor, perm: readonly number[], out: Tensor): void;

  /** Every element of `out` set to `value`. */
  fill(out: Tensor, value: number): void;

  /** `dst[i] = src[i]`; same dtype and size (shapes may differ). */
  copy(src: Tensor, dst: Tensor): void;

  /**
   * `dst[i] = src[i]` converted to `dst.dtype`: float to int32 truncates toward zero (and, beyond
   * the int32 range, wraps as an Int32Array store does); float64 to float32 rounds to nearest.
   */
  cast(src: Tensor, dst: Tensor): void;
}

/**
 * Kernels a backend may implement because fusing pays; `ops` composes each from the core when a
 * backend lacks it, with the same results up to rounding (`src/compose/`).
 */
export interface FusedKernels {
  /**
   * Backward of an elementwise activation: `dx = dy * f'(…)` as `UNARY_SPECS[op].activation`
   * defines it. `saved` is what the spec's `saves` names: the activation's input `x` (`relu`,
   * `leakyRelu`) or its output `y` (`sigmoid`, `tanh`, `elu`). At `x = 0` the derivative taken is
   * that of `x <= 0`. All four tensors share shape and dtype; `dx` may be `dy`.
   */
  activationBackward(op: ActivationOp, saved: Tensor, dy: Tensor, dx: Tensor, params?: UnaryParams): void;

  /** Softmax over the last axis, max-shifted for stability. Shapes equal; `out` may be `x`. */
  softmax(x: Tensor, out: Tensor): void;

  /** `log(softmax(x))` over the last axis, computed as `x - max - log(sum(exp(x - max)))`. */
  logSoftmax(x: Tensor, out: Tensor): void;

  /** Backward of softmax over the last axis from its output `y`: `dx = y * (dy - sum(dy * y))`. */
  softmaxBackward(y: Tensor, dy: Tensor, dx: Tensor): void;

  /**
   * Fused softmax + cross-entropy over the last axis of `logits` `[n,c]` (`c >= 1`). `labels` is
   * either `[n,c]` (one-hot or soft targets, the logits' dtype) or `[n]` `int32` class indices. Writes
   * each row's loss `-sum_j y_j log softmax(x)_j` (terms with `y_j = 0` left out) to `losses`
   * `[n]`; when `dlogits` `[n,c]` is given, also writes `(softmax(logits) - y) * gradScale` there.
   * Stable for logits of any finite magnitude.
   */
  softmaxCrossentropy(logits: Tensor, labels: Tensor, losses: Tensor, dlogits: Tensor | null, gradScale: number): void;

  /**
   * Plain SGD: `param -= lr * (grad + weightDecay * param)`. `param` and `grad` share shape and
   * a float dtype, as in every update below; all updates are in place.
   */
  sgdUpdate(param: Tensor, grad: Tensor, options: SgdOptions): void;

  /**
   * SGD with momentum (Keras form): `v = momentum * v - lr * grad`; then
   * `param += v`, or with Nesterov `param += momentum * v - lr * grad`.
   */
  momentumUpdate(param: Tensor, grad: Tensor, velocity: Tensor, options: MomentumOptions): void;

  /**
   * Adam, and AdamW when `weightDecay > 0` (decoupled: `param -= lr * weightDecay * param` first).
   * `m = b1 m + (1-b1) g`, `v = b2 v + (1-b2) g²`, `param -= lr * m̂ / (sqrt(v̂) + epsilon)` with
   * `m̂ = m / (1 - b1^step)`, `v̂ = v / (1 - b2^step)`; `step` counts from 1 (`tf.train.adam`'s form).
   */
  adamUpdate(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamOptions): void;

  /**
   * RMSprop as TensorFlow.js and Keras compute it: `s = rho s + (1-rho) g²`; centered, also
   * `mg = rho mg + (1-rho) g` and `d = s - mg² + epsilon`, else `d = s + epsilon`;
   * `increment = lr * g / sqrt(d)`; with momentum > 0 `b = momentum b + increment`,
   * `param -= b`, else `param -= increment`. `meanGrad` is given exactly when `centered`,
   * `buffer` exactly when momentum > 0.
   */
  rmspropUpdate(
    param: Tensor,
    grad: Tensor,
    meanSquare: Tensor,
    meanGrad: Tensor | null,
    buffer: Tensor | null,
    options: RmspropOptions,
  ): void;

  // The convolution family, channels-last (NHWC). `info` is the geometry the ops checked
  // (`Conv2dInfo`: sizes, strides, dilations and TensorFlow's padding); every tensor is float
  // and of one dtype; no output aliases an input. Composed from `gather`, `matmul` and
  // reductions when a backend lacks them (`src/compose/conv2d.ts`, `src/compose/pool2d.ts`).

  /**
   * 2-D convolution (cross-correlation, as every framework computes it): `x`
   * `[batch, inHeight, inWidth, inChannels]`, `filter` `[filterHeight, filterWidth, inChannels,
   * outChannels]`, `out` `[batch, outHeight, outWidth, outChannels]`;
   * `out[n,oh,ow,o] = sum over fy, fx, c of x[n, oh*sh - padTop + fy*dh, ow*sw - padLeft + fx*dw, c] * filter[fy,fx,c,o]`,
   * padding positions counting as 0.
   */
  conv2d(x: Tensor, filter: Tensor, out: Tensor, info: Conv2dInfo): void;

  /**
   * Gradient of `conv2d` with respect to its input: `dx` `[batch, inHeight, inWidth, inChannels]`
   * from `dy` `[batch, outHeight, outWidth, outChannels]` and `filter`. Every element of `dx` is
   * written (0 where no window reads it).
   */
  conv2dBackpropInput(dy: Tensor, filter: Tensor, dx: Tensor, info: Conv2dInfo): void;

  /**
   * Gradient of `conv2d` with respect to its filter: `dfilter` `[filterHeight, filterWidth,
   * inChannels, outChannels]` from `x` and `dy`; added to `dfilter` when `accumulate`.
   */
  conv2dBackpropFilter(x: Tensor, dy: Tensor, dfilter: Tensor, info: Conv2dInfo, accumulate: boolean): void;

  /**
   * Max over each window of `x` per channel (`out` `[batch, outHeight, outWidth, channels]`);
   * padding positions are ignored. NaN propagates.
   */
  maxPool(x: Tensor, out: Tensor, info: Conv2dInfo): void;

  /** Mean over each window of `x` per channel, dividing by the positions inside the input only. */
  avgPool(x: Tensor, out: Tensor, info: Conv2dInfo): void;

  /**
   * Gradient of `maxPool`: each window's `dy` goes to the position of its maximum in `x` (the
   * first in row-major window order on ties; the first NaN if any), summed where windows overlap;
   * `dx` is `x`'s shape and 0 elsewhere. Takes the input rather than saved argmax indices, so the
   * forward pass writes one output and inference saves nothing; the maximum is found again.
   */
  maxPoolBackward(x: Tensor, dy: Tensor, dx: Tensor, info: Conv2dInfo): void;

  /** Gradient of `avgPool`: each window's `dy / count` added to every input position it covers. */
  avgPoolBackward(dy: Tensor, dx: Tensor, info: Conv2dInfo): void;

  // Batch normalization over channels-last data: `x` viewed as `[rows, channels]` (channels =
  // `mean.size`, the product of x's trailing axes the statistics keep), statistics per channel
  // over the rows. Vectors (`mean`, `variance`, `scale`, `offset`, `dscale`, `doffset`) have
  // `channels` elements, any shape; `scale` / `offset` null mean 1 / 0. One float dtype.

  /** Per-channel mean and population variance (divide by `rows`) of `x`; NaN for 0 rows. */
  moments(x: Tensor, mean: Tensor, variance: Tensor): void;

  /** `out = (x - mean) / sqrt(variance + epsilon) * scale + offset` per channel; `out` may be `x`. */
  batchNormalization(x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor | null, offset: Tensor | null, epsilon: number, out: Tensor): void;

  /**
   * Training gradients of `batchNormalization` where `mean` and `variance` are `x`'s own
   * statistics: with `x̂ = (x - mean) / sqrt(variance + epsilon)` and `m = rows`,
   * `doffset = Σ dy`, `dscale = Σ dy·x̂`, `dx = scale / sqrt(variance + epsilon) · (dy - doffset/m - x̂·dscale/m)`.
   * `dx` may be `dy`.
   */
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
  ): void;
}

/** The names of the core kernels, which `setBackend` requires. */
export const CORE_KERNELS = Object.freeze([
  'matmul', 'unary', 'binary', 'where', 'reduce', 'argReduce', 'gather', 'transpose', 'fill', 'copy', 'cast',
] as const satisfies readonly (keyof CoreKernels)[]);

/** The names of the optional fused kernels. */
export const FUSED_KERNELS = Object.freeze([
  'activationBackward', 'softmax', 'logSoftmax', 'softmaxBackward', 'softmaxCrossentropy',
  'sgdUpdate', 'momentumUpdate', 'adamUpdate', 'rmspropUpdate',
  'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'maxPool', 'avgPool', 'maxPoolBackward', 'avgPoolBackward',
  'moments', 'batchNormalization', 'batchNormalizationBackward',
] as const satisfies readonly (keyof FusedKernels)[]);

/**
 * # The kernel contract
 *
 * A `Backend` is the set of compute kernels every scratchnet layer, loss and optimizer is built
 * from. It is deliberately small and low-level; users call the validated functions in `ops`
 * (`matmul(a, b)`, `relu(x)`), which check shapes and dtypes once, allocate outputs and then
 * call a kernel here.
 *
 * **Destination-passing.** Every kernel reads its inputs and writes a caller-supplied output
 * (`out`, `dx`, a parameter updated in place). A kernel never allocates a tensor, so a training
 * step that keeps its buffers runs with no allocation at all after the first batch, and a
 * backend that lives in shared memory never has to hand back memory it did not choose.
 *
 * **Kernels trust their arguments.** Shapes, dtypes, broadcasting and aliasing are checked by
 * `ops` before a kernel runs; a kernel may assume them (it does not re-check in the hot path).
 * What a kernel may assume is written on each method: shapes as stated, `out` contiguous and
 * not aliasing an input unless the method says so (elementwise kernels allow `out === x`).
 * All tensors are contiguous row-major (`tensor.data` is the element range).
 *
 * **A required core and optional fused kernels.** `CoreKernels` are the primitives every backend
 * must provide: matmul, elementwise unary and binary ops with broadcasting, `where`, axis
 * reductions, row gather, transpose, fill, copy and cast. Everything else a training step needs
 * can be composed from them, so the `FusedKernels` (activation backward forms, softmax and its
 * backward, fused softmax-cross-entropy, optimizer updates, convolution, pooling and batch
 * normalization) are optional: `ops` composes each
 * from the core when a backend lacks it (see `src/compose/`), and a backend implements one when
 * fusing pays — a pass over memory saved in the hot loop of training. A new fused kernel
 * therefore never breaks an existing backend. `setBackend` refuses a backend missing a core
 * kernel and names what is missing.
 *
 * **Op tables.** Which unary, binary and reduction ops exist, and every fact about each (its
 * scalar form, whether it is float-only, its parameters and their defaults, its cost, an
 * activation's backward and names), is written once in the spec tables (`UNARY_SPECS`,
 * `BINARY_SPECS`, `REDUCE_SPECS`). A backend's `unary` kernel handles the ops of the first
 * contract (`BASE_UNARY_OPS`) unless it lists its own in `unaryOps`; an op added since is computed
 * by `ops` from its scalar form on a backend that does not list it.
 *
 * **Why ranges.** Implementations are expected to write each kernel over a range of output
 * elements (rows, for matmul) so that a threaded backend can hand disjoint ranges of the same
 * kernel to several threads. Each output element must then be computed by the same
 * instructions in the same order whatever the split: that is what makes the worker backend's
 * results bitwise identical to the cpu backend's. A kernel that reduces to a scalar therefore
 * writes per-row partial results (as `softmaxCrossentropy` writes per-row losses), never a
 * sum whose order depends on the split.
 *
 * **Synchronous.** Kernels return when `out` is written. A threaded backend blocks the caller
 * (Node's main thread may `Atomics.wait`) so backends stay interchangeable with one line.
 */
export interface Backend extends CoreKernels, Partial<FusedKernels> {
  /** Short name, e.g. `cpu` or `worker`. */
  readonly name: string;

  /**
   * Storage for tensors created while this backend is active (installed as the tensor
   * allocator by `setBackend`). Absent: plain typed arrays.
   */
  readonly allocator?: Allocator;

  /**
   * The unary ops this backend's `unary` kernel computes (and, for activations, its
   * `activationBackward`). Absent: `BASE_UNARY_OPS`. Others are computed by `ops` from the spec.
   */
  readonly unaryOps?: readonly UnaryOp[];

  /** The binary ops this backend's `binary` kernel computes. Absent: `BASE_BINARY_OPS`. */
  readonly binaryOps?: readonly BinaryOp[];

  /** Releases what the backend holds (threads, pools). Later use is an error. */
  dispose?(): void;
}

/** Every kernel, as `ops` calls them: a backend's own, or composed from its core. */
export interface Kernels extends CoreKernels, FusedKernels {
  /** The backend these kernels run on. */
  readonly backend: Backend;
}

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  /** Add the product to `out` instead of overwriting it (gradient accumulation). */
  accumulate?: boolean;
}

export interface SgdOptions {
  lr: number;
  weightDecay?: number;
}

export interface MomentumOptions {
  lr: number;
  momentum: number;
  nesterov?: boolean;
}

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 for the first update. */
  step: number;
  /** Decoupled weight decay (AdamW); 0 or absent for Adam. */
  weightDecay?: number;
}

export interface RmspropOptions {
  lr: number;
  rho: number;
  epsilon: number;
  /** 0 or absent: no momentum buffer. */
  momentum?: number;
  /** Normalize by the variance (`s - mg²`) rather than the mean square (Keras's `centered`). */
  centered?: boolean;
}
