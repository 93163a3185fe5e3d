import type { Shape, Tensor } from '@scratchnet/tensor';
import { checkDenseLabels, checkPredictionShape, checkPredictions, checkSameDType, checkSparseLabels, gradTarget } from './loss-checks.js';
import type { LossOptions } from './loss.js';

/**
 * What a loss accepts, which the checks every loss shares read: its name (messages start with
 * it), whether predictions must be 2-D `[batch, classes]` (else any rank, batch first), and its
 * labels — `dense` (float, shaped like the predictions; `[n]` also fits `[n, 1]` predictions
 * when `allowFlat`; `hint` ends a shape or dtype error) or `sparse` (int32 class indices `[n]` or
 * `[n, 1]`; `denseLoss` is the loss to name for one-hot labels).
 */
export interface LossSignature {
  readonly name: string;
  readonly rank2: boolean;
  readonly labels:
    | { readonly kind: 'dense'; readonly hint: string; readonly allowFlat?: boolean }
    | { readonly kind: 'sparse'; readonly denseLoss: string };
}

function labelsFor(signature: LossSignature, yPredShape: Shape, yTrue: unknown): Tensor {
  const { name, labels } = signature;
  return labels.kind === 'sparse'
    ? checkSparseLabels(name, yPredShape, yTrue, labels.denseLoss)
    : checkDenseLabels(name, yPredShape, yTrue, labels.hint, labels.allowFlat === true);
}

/** `Loss.check`: the predictions' shape and the labels against it, with a typed error saying what to change. */
export function checkLossLabels(signature: LossSignature, yPredShape: Shape, yTrue: unknown): void {
  checkPredictionShape(signature.name, yPredShape, signature.rank2);
  labelsFor(signature, yPredShape, yTrue);
}

/**
 * `Loss.compute`'s preamble: checks the predictions (a float tensor with rows), the labels
 * (which must share the predictions' dtype when dense) and the options, and returns the labels
 * viewed in the canonical shape and where the gradient goes (null when none is asked for).
 */
export function lossArguments(
  signature: LossSignature,
  yPred: unknown,
  yTrue: unknown,
  options: LossOptions | undefined,
): { yPred: Tensor; labels: Tensor; grad: Tensor | null } {
  const { name } = signature;
  checkPredictions(name, yPred, signature.rank2);
  const labels = labelsFor(signature, yPred.shape, yTrue);
  if (signature.labels.kind === 'dense') checkSameDType(name, yPred, labels);
  return { yPred, labels, grad: gradTarget(name, options, yPred, labels) };
}
