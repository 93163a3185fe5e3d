import { softmaxCrossentropy } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { BufferCache } from '../buffer-cache.js';
import { checkPredictionShape, checkPredictions, checkSparseLabels, gradTarget, meanOf } from './loss-checks.js';
import type { Loss, LossOptions, LossResult } from './loss.js';

const NAME = 'sparseSoftmaxCrossentropy';

/**
 * `softmaxCrossentropy` with int32 class indices `[n]` (or `[n, 1]`) as labels (Keras's
 * `SparseCategoricalCrossentropy({ fromLogits: true })`): fused, stable, gradient
 * `(softmax(logits) − onehot(y)) / N`.
 */
export class SparseSoftmaxCrossentropy implements Loss {
  readonly name = NAME;
  readonly expects = 'logits';
  readonly #buffers = new BufferCache();

  check(yPredShape: readonly number[], yTrue: Tensor): void {
    checkPredictionShape(NAME, yPredShape, true);
    checkSparseLabels(NAME, yPredShape, yTrue, 'softmaxCrossentropy');
  }

  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
    checkPredictions(NAME, yPred, true);
    const labels = checkSparseLabels(NAME, yPred.shape, yTrue, 'softmaxCrossentropy');
    const grad = gradTarget(NAME, options, yPred, labels);
    const n = yPred.shape[0]!;
    const losses = this.#buffers.get('rowLosses', [n], yPred.dtype);
    softmaxCrossentropy(yPred, labels, { losses, ...(grad ? { dlogits: grad, gradScale: 1 / n } : {}) });
    return { loss: meanOf(losses), grad };
  }
}

export function sparseSoftmaxCrossentropy(): SparseSoftmaxCrossentropy {
  return new SparseSoftmaxCrossentropy();
}
