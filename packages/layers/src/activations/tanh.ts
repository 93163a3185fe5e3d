import type { LayerOptions } from '../layer.js';
import { SpecActivation } from './spec-activation.js';

/** Hyperbolic tangent. */
export class Tanh extends SpecActivation {
  constructor(options: LayerOptions = {}) {
    super('tanh', options);
  }
}
