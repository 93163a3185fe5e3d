import type { LayerOptions } from '../layer.js';
import { SpecActivation } from './spec-activation.js';

export interface LeakyReLUOptions extends LayerOptions {
  /** Slope for negative inputs; 0.3 as in Keras and TensorFlow.js. */
  alpha?: number;
}

/** `x` for positive inputs, `alpha * x` otherwise. */
export class LeakyReLU extends SpecActivation {
  /** The slope for negative inputs, as given or 0.3. */
  readonly alpha: number;

  constructor(options: LeakyReLUOptions = {}) {
    super('leakyRelu', options);
    this.alpha = this.opParams.alpha!;
  }
}
