import { softmaxCrossentropy as fusedSoftmaxCrossentropy } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { BufferCache } from '../buffer-cache.js';
import { checkDenseLabels, checkPredictionShape, checkPredictions, checkSameDType, gradTarget, meanOf } from './loss-checks.js';
import type { Loss, LossOptions, LossResult } from './loss.js';

const NAME = 'softmaxCrossentropy';
const HINT = '; use sparseSoftmaxCrossentropy for integer class labels';

/**
 * Cross-entropy of `softmax(logits)` against one-hot or soft labels `[n, c]` (Keras's
 * `CategoricalCrossentropy({ fromLogits: true })`), through the fused backend kernel: stable
 * for logits of any finite size, gradient `(softmax(logits) − y) / N`.
 */
export class SoftmaxCrossentropy implements Loss {
  readonly name = NAME;
  readonly expects = 'logits';
  readonly #buffers = new BufferCache();

  check(yPredShape: readonly number[], yTrue: Tensor): void {
    checkPredictionShape(NAME, yPredShape, true);
    checkDenseLabels(NAME, yPredShape, yTrue, HINT);
  }

  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
    checkPredictions(NAME, yPred, true);
    const labels = checkDenseLabels(NAME, yPred.shape, yTrue, HINT);
    checkSameDType(NAME, yPred, labels);
    const grad = gradTarget(NAME, options, yPred, labels);
    const n = yPred.shape[0]!;
    const losses = this.#buffers.get('rowLosses', [n], yPred.dtype);
    fusedSoftmaxCrossentropy(yPred, labels, { losses, ...(grad ? { dlogits: grad, gradScale: 1 / n } : {}) });
    return { loss: meanOf(losses), grad };
  }
}

export function softmaxCrossentropy(): SoftmaxCrossentropy {
  return new SoftmaxCrossentropy();
}
