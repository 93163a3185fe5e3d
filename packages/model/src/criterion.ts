import { softmaxCrossentropy } from '@scratchnet/backend';
import type { Loss, LossName } from '@scratchnet/layers';
import type { Tensor } from '@scratchnet/tensor';
import { RowBuffers } from './row-buffers.js';

/**
 * What the training loop minimizes: the mean loss of a batch and, for training, its gradient
 * with respect to what the last stage outputs, written into a buffer the criterion keeps.
 */
export interface Criterion {
  /** The loss as compiled (reported under `loss`). */
  readonly lossName: LossName;
  /** Mean loss over the rows of `output`; with `withGrad`, also sets `grad`. */
  compute(output: Tensor, labels: Tensor, withGrad: boolean): number;
  /** The gradient from the last `compute` with `withGrad` (valid until the next one). */
  readonly grad: Tensor | null;
}

/** A `Loss` from `@scratchnet/layers` applied to the model's output. */
export class LossCriterion implements Criterion {
  readonly lossName: LossName;
  readonly #loss: Loss;
  readonly #grads = new RowBuffers();
  grad: Tensor | null = null;

  constructor(loss: Loss) {
    this.#loss = loss;
    this.lossName = loss.name;
  }

  compute(output: Tensor, labels: Tensor, withGrad: boolean): number {
    if (!withGrad) return this.#loss.compute(output, labels).loss;
    const result = this.#loss.compute(output, labels, { withGrad: true, gradOut: this.#grads.get(output.shape, output.dtype) });
    this.grad = result.grad;
    return result.loss;
  }
}

/**
 * Cross-entropy of a softmax computed from the logits in one fused kernel, for a model whose last
 * softmax the training loop skips: the loss is `lse(z) - z_label` per row and the gradient
 * `(softmax(z) - y) / N`, finite however saturated the softmax is (a separate softmax would round
 * some probabilities to 0, and `log 0` and `y / p` are infinite).
 */
export class FusedSoftmaxCrossEntropy implements Criterion {
  readonly lossName: LossName;
  readonly #losses = new RowBuffers();
  readonly #grads = new RowBuffers();
  grad: Tensor | null = null;

  constructor(lossName: LossName) {
    this.lossName = lossName;
  }

  compute(logits: Tensor, labels: Tensor, withGrad: boolean): number {
    const n = logits.shape[0]!;
    const losses = this.#losses.get([n], logits.dtype);
    if (withGrad) {
      const dlogits = this.#grads.get(logits.shape, logits.dtype);
      softmaxCrossentropy(logits, labels, { losses, dlogits, gradScale: 1 / n });
      this.grad = dlogits;
    } else {
      softmaxCrossentropy(logits, labels, { losses });
    }
    // Summed in float64 in row order: the same bits on every backend.
    const data = losses.data;
    let total = 0;
    for (let i = 0; i < n; i++) total += data[i]!;
    return total / n;
  }
}
