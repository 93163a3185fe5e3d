// The backend's fused kernel; aliased because this package's loss factory is spelled softmaxCrossentropy too.
import { softmaxCrossentropy as softmaxCrossentropyKernel } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { BufferCache } from '../buffer-cache.js';
import { checkLossLabels, lossArguments, type LossSignature } from './loss-arguments.js';
import { meanOf } from './loss-checks.js';
import type { Loss, LossOptions, LossResult } from './loss.js';

const NAME = 'sparseSoftmaxCrossentropy';
const SIGNATURE: LossSignature = { name: NAME, rank2: true, labels: { kind: 'sparse', denseLoss: 'softmaxCrossentropy' } };

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
    checkLossLabels(SIGNATURE, yPredShape, yTrue);
  }

  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
    const { labels, grad } = lossArguments(SIGNATURE, yPred, yTrue, options);
    const n = yPred.shape[0]!;
    const losses = this.#buffers.get('rowLosses', [n], yPred.dtype);
    softmaxCrossentropyKernel(yPred, labels, { losses, ...(grad ? { dlogits: grad, gradScale: 1 / n } : {}) });
    return { loss: meanOf(losses), grad };
  }
}

export function sparseSoftmaxCrossentropy(): SparseSoftmaxCrossentropy {
  return new SparseSoftmaxCrossentropy();
}
