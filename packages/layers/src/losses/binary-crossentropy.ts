import { add, clip, div, equal, fill, log, mul, scale, sub, sum } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { BufferCache } from '../buffer-cache.js';
import { EPSILON } from './clip-epsilon.js';
import { checkLossLabels, lossArguments, type LossSignature } from './loss-arguments.js';
import type { Loss, LossOptions, LossResult } from './loss.js';

const NAME = 'binaryCrossentropy';
const SIGNATURE: LossSignature = {
  name: NAME,
  rank2: false,
  labels: { kind: 'dense', hint: '; labels are 0/1 (or soft) floats shaped like the predictions', allowFlat: true },
};

/**
 * Binary cross-entropy of probabilities `p` (a final Sigmoid's output) against 0/1 or soft
 * labels of the same shape: `−(y log c + (1 − y) log(1 − c))` with `c = clip(p, ε, 1 − ε)`,
 * averaged over all elements (Keras: over the last axis, then the batch). `[n]` labels fit
 * `[n, 1]` predictions. Gradient `(c − y) / (c (1 − c)) / size`, 0 where `p` was clipped.
 */
export class BinaryCrossentropy implements Loss {
  readonly name = NAME;
  readonly expects = 'probabilities';
  readonly #buffers = new BufferCache();

  check(yPredShape: readonly number[], yTrue: Tensor): void {
    checkLossLabels(SIGNATURE, yPredShape, yTrue);
  }

  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
    const { labels, grad } = lossArguments(SIGNATURE, yPred, yTrue, options);
    const { shape, dtype, size } = yPred;
    const n = shape[0]!;
    const buffers = this.#buffers;
    const c = clip(yPred, EPSILON, 1 - EPSILON, { out: buffers.get('clipped', shape, dtype) });
    const one = fill(buffers.get('one', [], dtype), 1);
    const oneMinusC = sub(one, c, { out: buffers.get('oneMinusC', shape, dtype) });
    if (grad) {
      sub(c, labels, { out: grad });
      div(grad, mul(c, oneMinusC, { out: buffers.get('denominator', shape, dtype) }), { out: grad });
      scale(grad, 1 / size, { out: grad });
      // The clip's derivative: 1 where p was inside the bounds, else 0.
      mul(grad, equal(yPred, c, { out: buffers.get('inside', shape, dtype) }), { out: grad });
    }
    // y log c + (1 − y) log(1 − c), computed as y (log c − log(1 − c)) + log(1 − c).
    const logOneMinusC = log(oneMinusC, { out: oneMinusC });
    const terms = log(c, { out: buffers.get('terms', shape, dtype) });
    sub(terms, logOneMinusC, { out: terms });
    mul(terms, labels, { out: terms });
    add(terms, logOneMinusC, { out: terms });
    const rows = sum(terms.reshape([n, size / n]), { axis: 1, out: buffers.get('rows', [n], dtype) });
    let total = 0;
    for (const v of rows.data) total += v;
    return { loss: 0 - total / size, grad };
  }
}

export function binaryCrossentropy(): BinaryCrossentropy {
  return new BinaryCrossentropy();
}
