import type { Initializer } from './initializer.js';
import { scaledNormal } from './scaled-draw.js';

/** Glorot (Xavier) normal: N(0, 2 / (fanIn + fanOut)), plain normal (not truncated). */
export const glorotNormal: Initializer = (shape, { fanIn, fanOut, dtype, rng }) =>
  scaledNormal(shape, Math.sqrt(2 / (fanIn + fanOut)), dtype, rng);
