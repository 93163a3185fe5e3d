import type { Initializer } from './initializer.js';
import { symmetricUniform } from './scaled-draw.js';

/** Glorot (Xavier) uniform: U(-limit, limit) with `limit = sqrt(6 / (fanIn + fanOut))`, Keras's default. */
export const glorotUniform: Initializer = (shape, { fanIn, fanOut, dtype, rng }) =>
  symmetricUniform(shape, Math.sqrt(6 / (fanIn + fanOut)), dtype, rng);
