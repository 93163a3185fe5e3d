import { activationFn } from './activation-fn.js';
import { ActivationLayer } from './activation-layer.js';

/** Hyperbolic tangent. */
export class Tanh extends ActivationLayer {
  readonly className: string = 'Tanh';
  protected readonly fn = activationFn('Tanh', 'tanh');
}
