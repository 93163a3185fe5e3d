import { rmspropUpdate } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { checkNumber, checkOptions } from '../options.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';

export interface RMSpropOptions {
  /** 1e-3 by default. */
  learningRate?: number;
  /** Decay of the running mean square, in [0, 1); 0.9 by default. */
  rho?: number;
  /** Added to `sqrt(s)`; 1e-7 by default. */
  epsilon?: number;
  /** In [0, 1); 0 by default. */
  momentum?: number;
  /** Decoupled weight decay (see `Optimizer`); 0 by default. */
  weightDecay?: number;
}

const KEYS = ['learningRate', 'rho', 'epsilon', 'momentum', 'weightDecay'];

/**
 * RMSprop: `s = ρ s + (1-ρ) g²`; `param -= lr * g / (sqrt(s) + ε)`, or with momentum
 * `b = momentum * b + g / (sqrt(s) + ε)`, `param -= lr * b`. Slots `meanSquare`, and `buffer`
 * when momentum > 0.
 */
export class RMSprop extends Optimizer {
  readonly className: string = 'RMSprop';
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly #slotNames: readonly string[];

  constructor(options: RMSpropOptions = {}) {
    const o = checkOptions('RMSprop', options, KEYS);
    super(checkNumber('RMSprop', 'learningRate', o.learningRate ?? 1e-3, { min: 0, minOpen: true }));
    this.rho = checkNumber('RMSprop', 'rho', o.rho ?? 0.9, { min: 0, max: 1, maxOpen: true });
    this.epsilon = checkNumber('RMSprop', 'epsilon', o.epsilon ?? 1e-7, { min: 0, minOpen: true });
    this.momentum = checkNumber('RMSprop', 'momentum', o.momentum ?? 0, { min: 0, max: 1, maxOpen: true });
    this.weightDecay = checkNumber('RMSprop', 'weightDecay', o.weightDecay ?? 0, { min: 0 });
    this.#slotNames = this.momentum > 0 ? ['meanSquare', 'buffer'] : ['meanSquare'];
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
      weightDecay: this.weightDecay,
    };
  }

  protected update(value: Tensor, grad: Tensor, slots: readonly Tensor[]): void {
    this.decay(value, this.weightDecay);
    rmspropUpdate(value, grad, slots[0]!, slots[1] ?? null, {
      lr: this.learningRate,
      rho: this.rho,
      epsilon: this.epsilon,
      momentum: this.momentum,
    });
  }
}
