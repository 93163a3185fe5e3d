import type { Initializer } from './initializer.js';
import { symmetricUniform } from './scaled-draw.js';

/** He uniform: U(-limit, limit) with `limit = sqrt(6 / fanIn)`, as Keras's `HeUniform`. */
export const heUniform: Initializer = (shape, { fanIn, dtype, rng }) =>
  symmetricUniform(shape, Math.sqrt(6 / fanIn), dtype, rng);
