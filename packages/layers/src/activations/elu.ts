import type { LayerOptions } from '../layer.js';
import { SpecActivation } from './spec-activation.js';

/** Options of `new ELU(options)`. */
export interface ELUOptions extends LayerOptions {
  /** The value approached for large negative inputs is `-alpha`; 1 as in Keras and TensorFlow.js (>= 0). */
  alpha?: number;
}

/** Exponential linear unit: `x` for positive inputs, `alpha * (e^x - 1)` otherwise. */
export class ELU extends SpecActivation {
  /** The negative saturation, as given or 1. */
  readonly alpha: number;

  constructor(options: ELUOptions = {}) {
    super('elu', options);
    this.alpha = this.opParams.alpha!;
  }
}
