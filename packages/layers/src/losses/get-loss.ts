import { ValueError } from '@scratchnet/tensor';
import { binaryCrossentropy } from './binary-crossentropy.js';
import { categoricalCrossentropy } from './categorical-crossentropy.js';
import type { Loss, LossName } from './loss.js';
import { meanSquaredError } from './mean-squared-error.js';
import { softmaxCrossentropy } from './softmax-crossentropy.js';
import { sparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';
import { sparseSoftmaxCrossentropy } from './sparse-softmax-crossentropy.js';

const LOSSES: Record<LossName, () => Loss> = {
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  softmaxCrossentropy,
  sparseSoftmaxCrossentropy,
  binaryCrossentropy,
  meanSquaredError,
};

export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];

/**
 * A new instance of the loss called `name` (each instance keeps its own scratch buffers);
 * a ValueError listing the choices otherwise.
 */
export function getLoss(name: LossName): Loss {
  if (typeof name !== 'string' || !Object.hasOwn(LOSSES, name)) {
    throw new ValueError(`getLoss: unknown loss ${JSON.stringify(name)}; expected one of ${LOSS_NAMES.join(', ')}`);
  }
  return LOSSES[name]();
}
