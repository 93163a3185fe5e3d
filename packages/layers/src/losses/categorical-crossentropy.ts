import { clip, div, equal, log, mul, scale, sum } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { BufferCache } from '../buffer-cache.js';
import { EPSILON } from './clip-epsilon.js';
import { checkLossLabels, lossArguments, type LossSignature } from './loss-arguments.js';
import { meanOf } from './loss-checks.js';
import type { Loss, LossOptions, LossResult } from './loss.js';
import { SoftmaxCrossentropy } from './softmax-crossentropy.js';

const NAME = 'categoricalCrossentropy';
const SIGNATURE: LossSignature = {
  name: NAME,
  rank2: true,
  labels: { kind: 'dense', hint: '; use sparseCategoricalCrossentropy for integer class labels' },
};

/**
 * Cross-entropy of probabilities `p` `[n, c]` (a final Softmax's output) against one-hot or
 * soft labels: `−Σ y log(clip(p, ε, 1 − ε))` per row, averaged over rows, `ε = 1e-7` as in
 * Keras. Predictions are used as given (Keras also rescales each row to sum 1; for a Softmax
 * output the two agree). Gradient `−y / p / N`, 0 where `p` was clipped. A model ending in
 * Softmax trains on `fromLogits()`, the fused softmax cross-entropy (see `@scratchnet/model`),
 * which stays finite when `p` saturates.
 */
export class CategoricalCrossentropy implements Loss {
  readonly name = NAME;
  readonly expects = 'softmax';
  readonly #buffers = new BufferCache();

  check(yPredShape: readonly number[], yTrue: Tensor): void {
    checkLossLabels(SIGNATURE, yPredShape, yTrue);
  }

  /** `softmaxCrossentropy`: the same loss from the logits, `lse(z) − Σ y z` per row, unclipped. */
  fromLogits(): Loss {
    return new SoftmaxCrossentropy();
  }

  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
    const { labels, grad } = lossArguments(SIGNATURE, yPred, yTrue, options);
    const { shape, dtype } = yPred;
    const n = shape[0]!;
    const clipped = clip(yPred, EPSILON, 1 - EPSILON, { out: this.#buffers.get('clipped', shape, dtype) });
    const terms = log(clipped, { out: this.#buffers.get('terms', shape, dtype) });
    mul(terms, labels, { out: terms });
    const rows = sum(terms, { axis: 1, out: this.#buffers.get('rows', [n], dtype) });
    if (grad) {
      div(labels, clipped, { out: grad });
      scale(grad, -1 / n, { out: grad });
      // The clip's derivative: 1 where p was inside the bounds (p equals its clipped value), else 0.
      const inside = equal(yPred, clipped, { out: this.#buffers.get('inside', shape, dtype) });
      mul(grad, inside, { out: grad });
    }
    return { loss: 0 - meanOf(rows), grad };
  }
}

export function categoricalCrossentropy(): CategoricalCrossentropy {
  return new CategoricalCrossentropy();
}
