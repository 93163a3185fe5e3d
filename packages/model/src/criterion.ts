import type { Loss } from '@scratchnet/layers';
import type { Tensor } from '@scratchnet/tensor';
import { RowBuffers } from './row-buffers.js';

/**
 * What the training loop minimizes: the mean loss of a batch and, for training, its gradient
 * with respect to what the last stage outputs, written into a buffer the criterion keeps.
 */
export interface Criterion {
  /** The loss as compiled (reported under `loss`). */
  readonly lossName: string;
  /** Mean loss over the rows of `output`; with `withGrad`, also sets `grad`. */
  compute(output: Tensor, labels: Tensor, withGrad: boolean): number;
  /** The gradient from the last `compute` with `withGrad` (valid until the next one). */
  readonly grad: Tensor | null;
}

/**
 * A `Loss` applied to the last stage's output: the compiled loss, or — when the model trains a
 * final softmax on its logits — the compiled loss's `fromLogits()` form, reported under the
 * compiled name.
 */
export class LossCriterion implements Criterion {
  readonly lossName: string;
  readonly #loss: Loss;
  readonly #grads = new RowBuffers();
  grad: Tensor | null = null;

  constructor(loss: Loss, lossName: string = loss.name) {
    this.#loss = loss;
    this.lossName = lossName;
  }

  compute(output: Tensor, labels: Tensor, withGrad: boolean): number {
    if (!withGrad) return this.#loss.compute(output, labels).loss;
    const result = this.#loss.compute(output, labels, { withGrad: true, gradOut: this.#grads.get(output.shape, output.dtype) });
    this.grad = result.grad;
    return result.loss;
  }
}
