import type { Initializer } from './initializer.js';
import { scaledNormal } from './scaled-draw.js';

/**
 * He (Kaiming) normal, as the lesson writes it: `randn(fanIn, fanOut) * sqrt(2 / fanIn)`.
 * Unlike Keras's `HeNormal` this is a plain (not truncated) normal, so seeded weights equal the
 * lesson's NumPy weights.
 */
export const heNormal: Initializer = (shape, { fanIn, dtype, rng }) =>
  scaledNormal(shape, Math.sqrt(2 / fanIn), dtype, rng);
