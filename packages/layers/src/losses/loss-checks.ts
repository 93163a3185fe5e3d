import {
  DTypeError,
  ShapeError,
  ValueError,
  formatShape,
  isFloatDType,
  shapesEqual,
  zeros,
  type Shape,
  type Tensor,
} from '@scratchnet/tensor';
import type { LossOptions } from './loss.js';

/**
 * Argument checks shared by the losses. Messages start with the loss's name and show both
 * shapes, and say what to change (usually: which loss fits these labels).
 */

function isTensorLike(value: unknown): value is Tensor {
  const t = value as Partial<Tensor> | null;
  return t !== null && typeof t === 'object' && Array.isArray(t.shape) && ArrayBuffer.isView(t.data) && typeof t.dtype === 'string';
}

export function assertTensorArg(loss: string, what: string, value: unknown): asserts value is Tensor {
  if (!isTensorLike(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new ValueError(`${loss}: ${what} must be a Tensor, got ${got}`);
  }
}

/** Predictions: a float tensor with at least one row. */
export function checkPredictions(loss: string, yPred: unknown, rank2: boolean): asserts yPred is Tensor {
  assertTensorArg(loss, 'predictions', yPred);
  if (!isFloatDType(yPred.dtype)) {
    throw new DTypeError(`${loss}: predictions are ${yPred.dtype}; they must be float32 or float64`);
  }
  checkPredictionShape(loss, yPred.shape, rank2);
  if (yPred.shape[0] === 0) throw new ValueError(`${loss}: predictions ${formatShape(yPred.shape)} have no rows; the batch is empty`);
}

export function checkPredictionShape(loss: string, shape: Shape, rank2: boolean): void {
  if (!Array.isArray(shape)) throw new ValueError(`${loss}: the predictions' shape must be an array of dimensions`);
  if (rank2 ? shape.length !== 2 : shape.length < 1) {
    throw new ShapeError(
      `${loss}: predictions must be ${rank2 ? '2-D [batch, classes]' : 'at least 1-D [batch, …]'}, got shape ${formatShape(shape)}`,
    );
  }
}

function countNote(labels: Shape, preds: Shape): string {
  return labels[0] !== preds[0] ? ` (${labels[0] ?? 0} labels for ${preds[0]} samples)` : '';
}

/**
 * Labels of the predictions' shape and a float dtype (one-hot, soft or regression targets).
 * With `allowFlat`, `[n]` labels also fit `[n, 1]` predictions, as Keras accepts. Returns the
 * labels viewed in the predictions' shape.
 */
export function checkDenseLabels(loss: string, yPredShape: Shape, yTrue: unknown, hint: string, allowFlat = false): Tensor {
  assertTensorArg(loss, 'labels', yTrue);
  if (!isFloatDType(yTrue.dtype)) {
    throw new DTypeError(`${loss}: labels are ${yTrue.dtype} of shape ${formatShape(yTrue.shape)}; they must be float32 or float64${hint}`);
  }
  if (shapesEqual(yTrue.shape, yPredShape)) return yTrue;
  if (allowFlat && yPredShape.length === 2 && yPredShape[1] === 1 && yTrue.rank === 1 && yTrue.shape[0] === yPredShape[0]) {
    return yTrue.reshape(yPredShape);
  }
  throw new ShapeError(
    `${loss}: labels have shape ${formatShape(yTrue.shape)}, predictions ${formatShape(yPredShape)}${countNote(yTrue.shape, yPredShape)}${hint}`,
  );
}

/** int32 class indices `[n]` (or `[n, 1]`) in `[0, classes)`. Returns them viewed as `[n]`. */
export function checkSparseLabels(loss: string, yPredShape: Shape, yTrue: unknown, denseLoss: string): Tensor<'int32'> {
  assertTensorArg(loss, 'labels', yTrue);
  const [n, classes] = yPredShape as [number, number];
  const hint = `; use ${denseLoss} for one-hot labels`;
  if (yTrue.dtype !== 'int32') {
    throw new DTypeError(
      `${loss}: labels must be int32 class indices, got ${yTrue.dtype} labels of shape ${formatShape(yTrue.shape)}; ` +
        `if they are class indices, make them int32 (tensor(ys, { dtype: 'int32' }) or cast(labels, 'int32')); if they are one-hot, use ${denseLoss}`,
    );
  }
  const flat = yTrue.rank === 1 || (yTrue.rank === 2 && yTrue.shape[1] === 1);
  if (!flat || yTrue.shape[0] !== n) {
    const expected = `class indices are [${n}] or [${n},1]`;
    throw new ShapeError(
      `${loss}: labels have shape ${formatShape(yTrue.shape)}, predictions ${formatShape(yPredShape)}${countNote(yTrue.shape, yPredShape)}; ${expected}${flat ? '' : hint}`,
    );
  }
  const labels = (yTrue.rank === 1 ? yTrue : yTrue.reshape([n])) as Tensor<'int32'>;
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < 0 || v >= classes) {
      throw new ValueError(`${loss}: label at row ${i} is ${v}, outside [0, ${classes}) for predictions with ${classes} classes`);
    }
  }
  return labels;
}

export function checkSameDType(loss: string, yPred: Tensor, yTrue: Tensor): void {
  if (yPred.dtype !== yTrue.dtype) {
    throw new DTypeError(`${loss}: labels are ${yTrue.dtype}, predictions ${yPred.dtype}; cast the labels to ${yPred.dtype}`);
  }
}

function overlaps(a: Tensor, b: Tensor): boolean {
  return a.storage === b.storage && a.size > 0 && b.size > 0 && a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

/**
 * Where the gradient goes: `gradOut` (checked: the predictions' shape and dtype, sharing no
 * memory with an input), a fresh tensor when only `withGrad` is set, or null for none.
 */
export function gradTarget(loss: string, options: LossOptions | undefined, yPred: Tensor, yTrue: Tensor): Tensor | null {
  if (options === undefined) return null;
  if (options === null || typeof options !== 'object') throw new ValueError(`${loss}: options must be an object`);
  const { withGrad, gradOut } = options;
  if (withGrad !== undefined && typeof withGrad !== 'boolean') {
    throw new ValueError(`${loss}: withGrad must be true or false, got ${String(withGrad)}`);
  }
  if (gradOut === undefined) return withGrad === true ? zeros(yPred.shape, { dtype: yPred.dtype }) : null;
  if (withGrad === false) throw new ValueError(`${loss}: gradOut was passed but withGrad is false`);
  assertTensorArg(loss, 'gradOut', gradOut);
  if (!shapesEqual(gradOut.shape, yPred.shape)) {
    throw new ShapeError(`${loss}: gradOut has shape ${formatShape(gradOut.shape)}, expected the predictions' ${formatShape(yPred.shape)}`);
  }
  if (gradOut.dtype !== yPred.dtype) {
    throw new DTypeError(`${loss}: gradOut is ${gradOut.dtype}, expected the predictions' ${yPred.dtype}`);
  }
  if (overlaps(gradOut, yPred) || overlaps(gradOut, yTrue)) {
    throw new ValueError(`${loss}: gradOut shares memory with the predictions or the labels; pass a separate tensor`);
  }
  return gradOut;
}

/** The mean of a vector of per-row losses, summed in float64 (the rows come from a kernel). */
export function meanOf(rows: Tensor): number {
  const d = rows.data;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]!;
  return s / d.length;
}
