import type { LayerOptions } from '../layer.js';
import { SpecActivation } from './spec-activation.js';

/** Logistic sigmoid, `1 / (1 + exp(-x))`. */
export class Sigmoid extends SpecActivation {
  constructor(options: LayerOptions = {}) {
    super('sigmoid', options);
  }
}
