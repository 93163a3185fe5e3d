import type { ResolvedUnaryParams } from './params.js';

/**
 * What makes a unary op an activation: how its gradient is computed, what the forward pass must
 * keep for it, and the names layers, configs and TensorFlow.js know it by.
 */
export interface ActivationFacts {
  /**
   * What `activationBackward` receives as `saved`: the activation's input `x` or its output `y`,
   * whichever the derivative is cheapest and exact from.
   */
  readonly saves: 'input' | 'output';
  /** `dy * f'(…)` on one float64 number, from `saved`: the reference. */
  readonly backward: (saved: number, dy: number, p: ResolvedUnaryParams) => number;
  /** Rough float64 operations per element of the backward pass. */
  readonly backwardCost: number;
  /** The activation's name in Keras and TensorFlow.js configs (`Dense(activation=…)`). */
  readonly kerasName: string;
  /** The class name of the layer applying it alone (Keras's and TensorFlow.js's). */
  readonly layerClass: string;
}
