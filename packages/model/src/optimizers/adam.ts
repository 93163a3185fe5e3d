import { adamUpdate } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { checkNumber, checkOptions } from '../options.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';

/** Options of `new Adam(options)` and `new AdamW(options)`; unknown keys are a ValueError. */
export interface AdamOptions {
  /** 1e-3 by default. */
  learningRate?: number;
  /** Decay of the first moment, in [0, 1); 0.9 by default. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); 0.999 by default. */
  beta2?: number;
  /** Added to `sqrt(v̂)`; 1e-7 by default, as in Keras (PyTorch uses 1e-8). */
  epsilon?: number;
  /** Decoupled weight decay (then this is AdamW); 0 by default. */
  weightDecay?: number;
}

const KEYS = ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay'];

/**
 * Adam (Kingma & Ba): `m = β1 m + (1-β1) g`, `v = β2 v + (1-β2) g²`,
 * `param -= lr * m̂ / (sqrt(v̂) + ε)` with the bias-corrected `m̂ = m / (1-β1^t)`,
 * `v̂ = v / (1-β2^t)` — ε is added to `sqrt(v̂)`, the paper's and PyTorch's placement.
 * Slots `m` and `v` per parameter.
 */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;

  constructor(options: AdamOptions = {}, defaults: { weightDecay: number; owner: string } = { weightDecay: 0, owner: 'Adam' }) {
    const where = defaults.owner;
    const o = checkOptions(where, options, KEYS);
    super(checkNumber(where, 'learningRate', o.learningRate ?? 1e-3, { min: 0, minOpen: true }));
    this.beta1 = checkNumber(where, 'beta1', o.beta1 ?? 0.9, { min: 0, max: 1, maxOpen: true });
    this.beta2 = checkNumber(where, 'beta2', o.beta2 ?? 0.999, { min: 0, max: 1, maxOpen: true });
    this.epsilon = checkNumber(where, 'epsilon', o.epsilon ?? 1e-7, { min: 0, minOpen: true });
    this.weightDecay = checkNumber(where, 'weightDecay', o.weightDecay ?? defaults.weightDecay, { min: 0 });
  }

  get slotNames(): readonly string[] {
    return SLOTS;
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
    };
  }

  protected update(value: Tensor, grad: Tensor, slots: readonly Tensor[], step: number): void {
    adamUpdate(value, grad, slots[0]!, slots[1]!, {
      lr: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      step,
      weightDecay: this.weightDecay,
    });
  }
}

const SLOTS: readonly string[] = ['m', 'v'];
