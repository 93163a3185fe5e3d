import { activationFn } from './activation-fn.js';
import { ActivationLayer } from './activation-layer.js';

/** Softmax over the last axis (max-shifted, as the lesson does): rows become probabilities. */
export class Softmax extends ActivationLayer {
  readonly className: string = 'Softmax';
  protected readonly fn = activationFn('Softmax', 'softmax');
}
