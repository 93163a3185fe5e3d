import { scale, square, sub, sum } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { BufferCache } from '../buffer-cache.js';
import { checkLossLabels, lossArguments, type LossSignature } from './loss-arguments.js';
import type { Loss, LossOptions, LossResult } from './loss.js';

const NAME = 'meanSquaredError';
const SIGNATURE: LossSignature = {
  name: NAME,
  rank2: false,
  labels: { kind: 'dense', hint: '; regression targets are floats shaped like the predictions', allowFlat: true },
};

/**
 * `mean((yPred − y)²)` over all elements (Keras: over the last axis, then the batch; the same
 * number). `[n]` labels fit `[n, 1]` predictions. Gradient `2 (yPred − y) / size`.
 */
export class MeanSquaredError implements Loss {
  readonly name = NAME;
  readonly expects = 'values';
  readonly #buffers = new BufferCache();

  check(yPredShape: readonly number[], yTrue: Tensor): void {
    checkLossLabels(SIGNATURE, yPredShape, yTrue);
  }

  compute(yPred: Tensor, yTrue: Tensor, options?: LossOptions): LossResult {
    const { labels, grad } = lossArguments(SIGNATURE, yPred, yTrue, options);
    const { shape, dtype, size } = yPred;
    const n = shape[0]!;
    const diff = sub(yPred, labels, { out: this.#buffers.get('diff', shape, dtype) });
    const squares = square(diff, { out: this.#buffers.get('squares', shape, dtype) });
    const rows = sum(squares.reshape([n, size / n]), { axis: 1, out: this.#buffers.get('rows', [n], dtype) });
    let total = 0;
    for (const v of rows.data) total += v;
    if (grad) scale(diff, 2 / size, { out: grad });
    return { loss: total / size, grad };
  }
}

export function meanSquaredError(): MeanSquaredError {
  return new MeanSquaredError();
}
