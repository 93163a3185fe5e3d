import type { Tensor } from '@scratchnet/tensor';
import type { Loss } from '../losses/loss.js';
import { compareGradients, numericGradient, type GradientComparison } from '@scratchnet/backend/testing';

/**
 * Checks a loss's gradient with respect to the float64 predictions `yPred` against central
 * differences of its mean loss (step `h`, 1e-6: losses are smooth and O(1)).
 */
export function checkLossGradient(loss: Loss, yPred: Tensor, yTrue: Tensor, h = 1e-6): GradientComparison {
  const { grad } = loss.compute(yPred, yTrue, { withGrad: true });
  const analytic = Float64Array.from(grad!.data);
  return compareGradients(analytic, numericGradient(yPred, () => loss.compute(yPred, yTrue).loss, h));
}
