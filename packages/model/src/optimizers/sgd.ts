import { momentumUpdate, sgdUpdate } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { ValueError } from '@scratchnet/tensor';
import { checkBoolean, checkNumber, checkOptions } from '../options.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';

/** Options of `new SGD(options)`; unknown keys are a ValueError. */
export interface SGDOptions {
  /** 0.01 by default, as in Keras. */
  learningRate?: number;
  /** In [0, 1); 0 (the default) is plain gradient descent. */
  momentum?: number;
  /** Nesterov momentum (needs `momentum > 0`). */
  nesterov?: boolean;
  /** Decoupled weight decay (see `Optimizer`); 0 by default. */
  weightDecay?: number;
}

const KEYS = ['learningRate', 'momentum', 'nesterov', 'weightDecay'];

/**
 * Stochastic gradient descent. Without momentum: `param -= lr * (grad + weightDecay * param)`.
 * With momentum, in Keras's form: `velocity = momentum * velocity - lr * grad`, then
 * `param += velocity` (Nesterov: `param += momentum * velocity - lr * grad`).
 */
export class SGD extends Optimizer {
  readonly className: string = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  readonly #slotNames: readonly string[];

  constructor(options: SGDOptions = {}) {
    const o = checkOptions('SGD', options, KEYS);
    super(checkNumber('SGD', 'learningRate', o.learningRate ?? 0.01, { min: 0, minOpen: true }));
    this.momentum = checkNumber('SGD', 'momentum', o.momentum ?? 0, { min: 0, max: 1, maxOpen: true });
    this.nesterov = checkBoolean('SGD', 'nesterov', o.nesterov ?? false);
    if (this.nesterov && this.momentum === 0) throw new ValueError('SGD: nesterov needs momentum > 0, got momentum 0');
    this.weightDecay = checkNumber('SGD', 'weightDecay', o.weightDecay ?? 0, { min: 0 });
    this.#slotNames = this.momentum > 0 ? ['velocity'] : [];
  }

  get slotNames(): readonly string[] {
    return this.#slotNames;
  }

  getConfig(): OptimizerConfig {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }

  protected update(value: Tensor, grad: Tensor, slots: readonly Tensor[]): void {
    if (this.momentum === 0) {
      sgdUpdate(value, grad, { lr: this.learningRate, weightDecay: this.weightDecay });
      return;
    }
    this.decay(value, this.weightDecay);
    momentumUpdate(value, grad, slots[0]!, { lr: this.learningRate, momentum: this.momentum, nesterov: this.nesterov });
  }
}
