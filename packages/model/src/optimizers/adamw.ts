import { Adam, type AdamOptions } from './adam.js';

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter): each step first shrinks
 * `param -= lr * weightDecay * param`, then takes the Adam step from the gradient alone, so the
 * decay is not rescaled by the moments as an L2 term in the loss would be. `weightDecay` defaults
 * to 0.004, Keras's default (PyTorch's is 0.01); every other default is Adam's.
 */
export class AdamW extends Adam {
  override readonly className: string = 'AdamW';

  constructor(options: AdamOptions = {}) {
    super(options, { weightDecay: 0.004, owner: 'AdamW' });
  }
}
