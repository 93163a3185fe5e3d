import type { Allocator, Tensor } from '@scratchnet/tensor';

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
 * **Why this granularity.** The methods are the ones dense-MLP training needs forward *and*
 * backward (matmul with transpose flags and accumulation for weight gradients, broadcasting
 * elementwise ops for bias, activations with their backward forms, axis reductions for bias
 * gradients and metrics, softmax, fused softmax-cross-entropy, row gather for batching, fused
 * optimizer updates). Fusing where training is hot (loss + gradient, optimizer updates) saves
 * passes over memory; everything else composes in `ops` and `layers`.
 *
 * **Why ranges.** Implementations are expected to write each kernel over a range of output
 * elements (rows, for matmul) so that a threaded backend can hand disjoint ranges of the same
 * kernel to several threads. Each output element must then be computed by the same
 * instructions in the same order whatever the split: that is what makes the worker backend's
 * results bitwise identical to the cpu backend's. A kernel that reduces to a scalar therefore
 * writes per-row partial results (as `softmaxCrossEntropy` writes per-row losses), never a
 * sum whose order depends on the split.
 *
 * **Synchronous.** Kernels return when `out` is written. A threaded backend blocks the caller
 * (Node's main thread may `Atomics.wait`) so backends stay interchangeable with one line.
 */
export interface Backend {
  /** Short name, e.g. `cpu` or `worker`. */
  readonly name: string;

  /**
   * Storage for tensors created while this backend is active (installed as the tensor
   * allocator by `setBackend`). Absent: plain typed arrays.
   */
  readonly allocator?: Allocator;

  /**
   * `out = op(a) @ op(b)` (+ `out` when `accumulate`), `op` transposing when its flag is set.
   * 2-D: `op(a)` is `[m,k]`, `op(b)` is `[k,n]`, `out` is `[m,n]`. Batched: `a` is `[batch,…]`,
   * `b` is `[batch,…]` or 2-D (shared by every batch), `out` is `[batch,m,n]`. Float dtypes,
   * all three the same. `out` aliases neither input.
   */
  matmul(a: Tensor, b: Tensor, out: Tensor, options?: MatmulOptions): void;

  /**
   * `out[i] = f(x[i])`, shapes equal, dtypes equal; `out` may be `x`. NaN in gives NaN out for
   * every op, `relu` and `clip` included (as in PyTorch); `relu(-0)` is +0.
   */
  unary(op: UnaryOp, x: Tensor, out: Tensor, params?: UnaryParams): void;

  /**
   * `out[i] = f(a[ia], b[ib])` where `a` and `b` broadcast to `out.shape` by NumPy's rule.
   * `a` and `b` share a dtype; `out` has that dtype, except comparisons, which may write any dtype
   * (1 for true, 0 for false). `out` may be `a` or `b` when that input has `out`'s shape.
   */
  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void;

  /**
   * Backward of an elementwise activation: `dx = dy * f'(…)`. `saved` is the activation's
   * input `x` for `relu` and `leakyRelu`, its output `y` for `sigmoid` and `tanh` (what each
   * derivative is cheapest from). At `x = 0` the derivative taken is that of `x <= 0`: 0 for
   * `relu`, `alpha` for `leakyRelu`. All four tensors share shape and dtype; `dx` may be `dy`.
   */
  activationBackward(op: ActivationOp, saved: Tensor, dy: Tensor, dx: Tensor, params?: UnaryParams): void;

  /**
   * Reduces `x` along `axis`: `x` is viewed as `[outer, x.shape[axis], inner]` and `out` as
   * `[outer, inner]` (its shape is `x.shape` without `axis`, or with it as 1). An empty axis
   * gives 0 for `sum`, NaN for `mean`, and -Infinity / Infinity for `max` / `min`.
   */
  reduce(op: ReduceOp, x: Tensor, axis: number, out: Tensor): void;

  /**
   * Index of the first max (min) along `axis` into an `int32` `out`, viewed as for `reduce`.
   * `axis` is not empty unless `out` is.
   */
  argReduce(op: ArgReduceOp, x: Tensor, axis: number, out: Tensor): void;

  /** Softmax over the last axis, max-shifted for stability. Shapes equal; `out` may be `x`. */
  softmax(x: Tensor, out: Tensor): void;

  /** `log(softmax(x))` over the last axis, computed as `x - max - log(sum(exp(x - max)))`. */
  logSoftmax(x: Tensor, out: Tensor): void;

  /** Backward of softmax over the last axis from its output `y`: `dx = y * (dy - sum(dy * y))`. */
  softmaxBackward(y: Tensor, dy: Tensor, dx: Tensor): void;

  /**
   * Fused softmax + cross-entropy over the last axis of `logits` `[n,c]` (`c >= 1`). `labels` is
   * either `[n,c]` (one-hot or soft targets, the logits' dtype) or `[n]` `int32` class indices. Writes
   * each row's loss to `losses` `[n]`; when `dlogits` `[n,c]` is given, also writes
   * `(softmax(logits) - y) * gradScale` there. Stable for logits of any finite magnitude.
   */
  softmaxCrossEntropy(logits: Tensor, labels: Tensor, losses: Tensor, dlogits: Tensor | null, gradScale: number): void;

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
   * `m̂ = m / (1 - b1^step)`, `v̂ = v / (1 - b2^step)`; `step` counts from 1.
   */
  adamUpdate(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamOptions): void;

  /**
   * RMSProp: `s = rho s + (1-rho) g²`; without momentum `param -= lr g / (sqrt(s) + epsilon)`;
   * with momentum > 0 `b = momentum b + g / (sqrt(s) + epsilon)`, `param -= lr b` (`buffer`
   * required; with momentum 0 `buffer` is null).
   */
  rmspropUpdate(param: Tensor, grad: Tensor, meanSquare: Tensor, buffer: Tensor | null, options: RmspropOptions): void;

  /** Releases what the backend holds (threads, pools). Later use is an error. */
  dispose?(): void;
}

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  /** Add the product to `out` instead of overwriting it (gradient accumulation). */
  accumulate?: boolean;
}

export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'square'
  | 'reciprocal'
  | 'relu'
  | 'leakyRelu'
  | 'sigmoid'
  | 'tanh'
  | 'clip'
  | 'scale';

/** `alpha`: slope for `leakyRelu`, factor for `scale`. `min`/`max`: bounds for `clip`. */
export interface UnaryParams {
  alpha?: number;
  min?: number;
  max?: number;
}

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'squaredDifference'
  | 'equal'
  | 'greater'
  | 'less';

export type ActivationOp = 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh';

export type ReduceOp = 'sum' | 'mean' | 'max' | 'min';

export type ArgReduceOp = 'argmax' | 'argmin';

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
  momentum?: number;
}

export const UNARY_OPS: readonly UnaryOp[] = [
  'neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'reciprocal',
  'relu', 'leakyRelu', 'sigmoid', 'tanh', 'clip', 'scale',
];

export const BINARY_OPS: readonly BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference', 'equal', 'greater', 'less',
];

export const COMPARISON_OPS: readonly BinaryOp[] = ['equal', 'greater', 'less'];
