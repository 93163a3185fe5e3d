import { rmspropUpdate } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { checkBoolean, checkNumber, checkOptions } from '../options.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';

export interface RMSpropOptions {
  /** 1e-3 by default. */
  learningRate?: number;
  /** Decay of the running averages, in [0, 1); 0.9 by default. */
  rho?: number;
  /** Added to the mean square inside the square root; 1e-7 by default. */
  epsilon?: number;
  /** In [0, 1); 0 by default. */
  momentum?: number;
  /** Divide by an estimate of the gradient's variance instead of its mean square; false by default. */
  centered?: boolean;
  /** Decoupled weight decay (see `Optimizer`); 0 by default. */
  weightDecay?: number;
}

const KEYS = ['learningRate', 'rho', 'epsilon', 'momentum', 'centered', 'weightDecay'];

/**
 * RMSprop as TensorFlow.js (`tf.train.rmsprop`) and Keras compute it: `s = ρ s + (1-ρ) g²`;
 * `increment = lr * g / sqrt(s + ε)` (centered: `sqrt(s - mg² + ε)` with `mg = ρ mg + (1-ρ) g`);
 * `param -= increment`, or with momentum `b = momentum * b + increment`, `param -= b`. Slots
 * `meanSquare`, then `meanGrad` when centered, then `buffer` when momentum > 0.
 */
export class RMSprop extends Optimizer {
  readonly className: string = 'RMSprop';
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly weightDecay: number;
  readonly #slotNames: readonly string[];

  constructor(options: RMSpropOptions = {}) {
    const o = checkOptions('RMSprop', options, KEYS);
    super(checkNumber('RMSprop', 'learningRate', o.learningRate ?? 1e-3, { min: 0, minOpen: true }));
    this.rho = checkNumber('RMSprop', 'rho', o.rho ?? 0.9, { min: 0, max: 1, maxOpen: true });
    this.epsilon = checkNumber('RMSprop', 'epsilon', o.epsilon ?? 1e-7, { min: 0, minOpen: true });
    this.momentum = checkNumber('RMSprop', 'momentum', o.momentum ?? 0, { min: 0, max: 1, maxOpen: true });
    this.centered = o.centered === undefined ? false : checkBoolean('RMSprop', 'centered', o.centered);
    this.weightDecay = checkNumber('RMSprop', 'weightDecay', o.weightDecay ?? 0, { min: 0 });
    this.#slotNames = ['meanSquare', ...(this.centered ? ['meanGrad'] : []), ...(this.momentum > 0 ? ['buffer'] : [])];
  }

  get slotNames(): readonly string[] {
    return this.#slotNames;
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRate,
      rho: this.rho,
      epsilon: this.epsilon,
      momentum: this.momentum,
      centered: this.centered,
      weightDecay: this.weightDecay,
    };
  }

  protected update(value: Tensor, grad: Tensor, slots: readonly Tensor[]): void {
    this.decay(value, this.weightDecay);
    const meanGrad = this.centered ? slots[1]! : null;
    const buffer = this.momentum > 0 ? slots[this.centered ? 2 : 1]! : null;
    rmspropUpdate(value, grad, slots[0]!, meanGrad, buffer, {
      lr: this.learningRate,
      rho: this.rho,
      epsilon: this.epsilon,
      momentum: this.momentum,
      centered: this.centered,
    });
  }
}
