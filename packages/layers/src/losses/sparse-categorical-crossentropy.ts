import { fill } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { clipBounds } from './clip-epsilon.js';
import { checkLossLabels, lossArguments, type LossSignature } from './loss-arguments.js';
import type { Loss, LossOptions, LossResult } from './loss.js';
import { SparseSoftmaxCrossentropy } from './sparse-softmax-crossentropy.js';

const NAME = 'sparseCategoricalCrossentropy';
const SIGNATURE: LossSignature = { name: NAME, rank2: true, labels: { kind: 'sparse', denseLoss: 'categoricalCrossentropy' } };

/**
 * `categoricalCrossentropy` with int32 class indices `[n]` (or `[n, 1]`) as labels: per row
 * `−log(clip(p[label], ε, 1 − ε))`, averaged. Gradient `−1 / p[label] / N` at each label, 0
 * elsewhere and where clipped. Only one element per row is read or written, so those n picks
 * are plain indexing (no backend kernel picks single elements).
 */
export class SparseCategoricalCrossentropy implements Loss {
  readonly name = NAME;
  readonly expects = 'softmax';

  check(yPredShape: readonly number[], yTrue: Tensor): void {
    checkLossLabels(SIGNATURE, yPredShape, yTrue);
  }

  /** `sparseSoftmaxCrossentropy`: the same loss from the logits, `lse(z) − z[label]` per row, unclipped. */
  fromLogits(): Loss {
    return new SparseSoftmaxCrossentropy();
  }

  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
    const { labels, grad } = lossArguments(SIGNATURE, yPred, yTrue, options);
    const [n, c] = yPred.shape as [number, number];
    const [lo, hi] = clipBounds(yPred.dtype);
    const p = yPred.data;
    const l = labels.data;
    if (grad) fill(grad, 0);
    const g = grad?.data;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const at = i * c + l[i]!;
      const v = p[at]!;
      const clipped = v < lo ? lo : v > hi ? hi : v;
      total -= Math.log(clipped);
      if (g && v >= lo && v <= hi) g[at] = -1 / (clipped * n);
    }
    return { loss: total / n, grad };
  }
}

export function sparseCategoricalCrossentropy(): SparseCategoricalCrossentropy {
  return new SparseCategoricalCrossentropy();
}
