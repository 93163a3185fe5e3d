import { activationFn } from './activation-fn.js';
import { ActivationLayer } from './activation-layer.js';

/** Rectified linear unit, `max(0, x)`: the lesson's hidden activation. */
export class ReLU extends ActivationLayer {
  readonly className: string = 'ReLU';
  protected readonly fn = activationFn('ReLU', 'relu');
}
