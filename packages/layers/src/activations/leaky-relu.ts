import { ValueError } from '@scratchnet/tensor';
import type { LayerConfig, LayerOptions } from '../layer.js';
import { activationFn, type ActivationFn } from './activation-fn.js';
import { ActivationLayer } from './activation-layer.js';

export interface LeakyReLUOptions extends LayerOptions {
  /** Slope for negative inputs; 0.3 as in Keras and TensorFlow.js. */
  alpha?: number;
}

/** `x` for positive inputs, `alpha * x` otherwise. */
export class LeakyReLU extends ActivationLayer {
  readonly className: string = 'LeakyReLU';
  readonly alpha: number;
  protected readonly fn: ActivationFn;

  constructor(options: LeakyReLUOptions = {}) {
    super(options);
    const alpha = options.alpha ?? 0.3;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
      throw new ValueError(`LeakyReLU: alpha must be a finite number >= 0, got ${String(alpha)}`);
    }
    this.alpha = alpha;
    this.fn = activationFn('LeakyReLU', 'leaky_relu', alpha);
  }

  override getConfig(): LayerConfig {
    return { name: this.name, alpha: this.alpha };
  }
}
