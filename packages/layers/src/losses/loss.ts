import type { Tensor } from '@scratchnet/tensor';

/** Loss names as Keras spells them in `compile({ loss })`. */
export type LossName =
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'softmaxCrossentropy'
  | 'sparseSoftmaxCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError';

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
 */
export interface Loss {
  readonly name: LossName;
  /** The loss expects probabilities from a final Softmax (true) or raw logits / any values (false). */
  readonly expects: 'probabilities' | 'logits' | 'values';
  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult;
  check(yPredShape: readonly number[], yTrue: Tensor): void;
}
