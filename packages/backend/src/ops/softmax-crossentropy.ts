import { DTypeError, ShapeError, ValueError, formatShape, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import { getKernels } from '../registry.js';
import {
  assertBoolean,
  assertFinite,
  assertFloat,
  assertNoOverlap,
  assertOptions,
  assertSameDType,
  assertTensor,
  checkOut,
} from './validate.js';

/** Options of `softmaxCrossentropy`: destinations, whether to compute the gradient, and its scale. */
export interface SoftmaxCrossentropyOptions {
  /** Destination `[n]` for the per-row losses. */
  losses?: Tensor;
  /** Destination `[n,c]` for the gradient; passing it implies `withGrad`. */
  dlogits?: Tensor;
  /** Compute the gradient too (default: whether `dlogits` was passed). */
  withGrad?: boolean;
  /** Factor applied to the gradient, e.g. `1 / n` for a mean loss (default 1). */
  gradScale?: number;
}

/** What `softmaxCrossentropy` returns: per-row losses, and the gradient when asked. */
export interface SoftmaxCrossentropyResult<D extends DType = DType> {
  /** Loss of each row, `[n]`. */
  losses: Tensor<D>;
  /** `(softmax(logits) - labels) * gradScale`, `[n,c]`, or null without `withGrad`. */
  dlogits: Tensor<D> | null;
}

/**
 * Fused softmax + cross-entropy over the class axis of `logits` `[n,c]`. `labels` are either
 * `[n,c]` targets of the logits' dtype (one-hot or soft) or `[n]` int32 class indices in `[0,c)`.
 * Stable for logits of any finite size. Returns per-row losses (average them for the usual loss)
 * and, when asked, the gradient with respect to the logits.
 */
export function softmaxCrossentropy<D extends DType>(
  logits: Tensor<D>,
  labels: Tensor,
  options: SoftmaxCrossentropyOptions = {},
): SoftmaxCrossentropyResult<D> {
  const op = 'softmaxCrossentropy';
  assertTensor(op, 'logits', logits);
  assertTensor(op, 'labels', labels);
  assertOptions(op, options);
  assertFloat(op, 'logits', logits);
  if (logits.rank !== 2) {
    throw new ShapeError(`${op}: logits must be 2-D [n,c], got shape ${formatShape(logits.shape)}`);
  }
  const [n, c] = logits.shape as [number, number];
  if (c === 0) throw new ShapeError(`${op}: logits ${formatShape(logits.shape)} have no classes`);
  if (labels.rank === 1) {
    if (labels.dtype !== 'int32') {
      throw new DTypeError(`${op}: class-index labels ${formatShape(labels.shape)} must be int32, got ${labels.dtype} (one-hot labels are [n,c])`);
    }
    if (labels.shape[0] !== n) {
      throw new ShapeError(`${op}: ${n} rows of logits ${formatShape(logits.shape)} but ${labels.shape[0]} labels`);
    }
    const idx = labels.data;
    for (let i = 0; i < n; i++) {
      const v = idx[i]!;
      if (v < 0 || v >= c) throw new ValueError(`${op}: label at row ${i} is ${v}, outside [0, ${c})`);
    }
  } else if (labels.rank === 2) {
    if (labels.shape[0] !== n || labels.shape[1] !== c) {
      throw new ShapeError(`${op}: labels ${formatShape(labels.shape)} do not match logits ${formatShape(logits.shape)}`);
    }
    assertSameDType(op, 'logits', logits, 'labels', labels);
  } else {
    throw new ShapeError(`${op}: labels must be [n] class indices or [n,c] targets, got shape ${formatShape(labels.shape)}`);
  }
  const { losses, dlogits, withGrad = dlogits !== undefined, gradScale = 1 } = options;
  assertBoolean(op, 'withGrad', withGrad);
  assertFinite(op, 'gradScale', gradScale);
  if (!withGrad && dlogits !== undefined) {
    throw new ValueError(`${op}: dlogits was passed but withGrad is false`);
  }
  const givenLosses = checkOut(op, losses, [n], logits.dtype, 'losses');
  const givenGrad = checkOut(op, dlogits, [n, c], logits.dtype, 'dlogits');
  for (const [name, t] of [['losses', givenLosses], ['dlogits', givenGrad]] as const) {
    if (!t) continue;
    assertNoOverlap(op, name, t, 'logits', logits);
    assertNoOverlap(op, name, t, 'labels', labels);
  }
  if (givenLosses && givenGrad) assertNoOverlap(op, 'losses', givenLosses, 'dlogits', givenGrad);
  const backend = getKernels(op);
  const lossOut = (givenLosses ?? zeros([n], { dtype: logits.dtype })) as Tensor<D>;
  const gradOut = withGrad ? ((givenGrad ?? zeros([n, c], { dtype: logits.dtype })) as Tensor<D>) : null;
  backend.softmaxCrossentropy(logits, labels, lossOut, gradOut, gradScale);
  return { losses: lossOut, dlogits: gradOut };
}
