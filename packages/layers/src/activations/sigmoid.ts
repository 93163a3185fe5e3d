import { activationFn } from './activation-fn.js';
import { ActivationLayer } from './activation-layer.js';

/** Logistic sigmoid, `1 / (1 + exp(-x))`. */
export class Sigmoid extends ActivationLayer {
  readonly className: string = 'Sigmoid';
  protected readonly fn = activationFn('Sigmoid', 'sigmoid');
}
