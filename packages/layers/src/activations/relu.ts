import type { LayerOptions } from '../layer.js';
import { SpecActivation } from './spec-activation.js';

/** Rectified linear unit, `max(0, x)`: the lesson's hidden activation. */
export class ReLU extends SpecActivation {
  constructor(options: LayerOptions = {}) {
    super('relu', options);
  }
}
