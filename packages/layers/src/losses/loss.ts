import type { Tensor } from '@scratchnet/tensor';

/** The built-in losses' names, as Keras spells them in `compile({ loss })`. */
export type LossName =
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'softmaxCrossentropy'
  | 'sparseSoftmaxCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError';

/**
 * What a loss expects as predictions, which a model checks against its last layer's
 * `outputKind` (see `lossFitsOutput`):
 * - `'softmax'`: probabilities from a softmax over the last axis (categorical cross-entropy);
 * - `'probabilities'`: probabilities element by element, from a sigmoid or a softmax (binary
 *   cross-entropy);
 * - `'logits'`: raw scores that the loss normalizes itself, so not already probabilities;
 * - `'values'`: anything (mean squared error).
 */
export type LossInput = 'softmax' | 'probabilities' | 'logits' | 'values';

/** Every `LossInput`: what a loss may expect the model's last layer to output. */
export const LOSS_INPUTS: readonly LossInput[] = ['softmax', 'probabilities', 'logits', 'values'];

export interface LossResult {
  /** Mean loss over the batch. */
  loss: number;
  /** d(mean loss)/d(yPred), shaped like `yPred`; null unless asked for. */
  grad: Tensor | null;
}

export interface LossOptions {
  /** Also compute the gradient with respect to `yPred`. */
  withGrad?: boolean;
  /** Write the gradient here (shape and dtype of `yPred`) instead of allocating. */
  gradOut?: Tensor;
}

/**
 * A loss: the mean over the batch of a per-sample loss, and its gradient with respect to the
 * model output (already divided by the batch size). `check` validates labels against the
 * predictions' shape once per `fit`, with a typed error that says what to change.
 *
 * A loss keeps its scratch buffers between calls (as layers do), so a warm training step
 * allocates nothing when it passes `gradOut`; without `gradOut` a fresh gradient is returned.
 * `lossArguments` and `checkLossLabels` do the argument checks every loss shares.
 */
export interface Loss {
  /** The name `getLoss` knows it by (a built-in `LossName`, or one given to `registerLoss`). */
  readonly name: string;
  readonly expects: LossInput;
  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult;
  check(yPredShape: readonly number[], yTrue: Tensor): void;
  /**
   * For a loss on softmax probabilities: a new instance of the same loss computed from the
   * logits (the fused, stable softmax cross-entropy), reporting the same numbers. A model whose
   * last layer offers a `logitsStage()` trains on it instead. Absent when there is none.
   */
  fromLogits?(): Loss;
}
