import { fill } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { clipBounds } from './clip-epsilon.js';
import { checkPredictionShape, checkPredictions, checkSparseLabels, gradTarget } from './loss-checks.js';
import type { Loss, LossOptions, LossResult } from './loss.js';

const NAME = 'sparseCategoricalCrossentropy';

/**
 * `categoricalCrossentropy` with int32 class indices `[n]` (or `[n, 1]`) as labels: per row
 * `−log(clip(p[label], ε, 1 − ε))`, averaged. Gradient `−1 / p[label] / N` at each label, 0
 * elsewhere and where clipped. Only one element per row is read or written, so those n picks
 * are plain indexing (no backend kernel picks single elements).
 */
export class SparseCategoricalCrossentropy implements Loss {
  readonly name = NAME;
  readonly expects = 'probabilities';

  check(yPredShape: readonly number[], yTrue: Tensor): void {
    checkPredictionShape(NAME, yPredShape, true);
    checkSparseLabels(NAME, yPredShape, yTrue, 'categoricalCrossentropy');
  }

  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
    checkPredictions(NAME, yPred, true);
    const labels = checkSparseLabels(NAME, yPred.shape, yTrue, 'categoricalCrossentropy');
    const grad = gradTarget(NAME, options, yPred, labels);
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
