import type { ResolvedUnaryParams, UnaryParamName } from './params.js';

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
  /** What TensorFlow.js knows of it, for converting models (`@scratchnet/model/tfjs`). */
  readonly tfjs: TfjsActivationFacts;
}

/** How an activation crosses to TensorFlow.js's Layers format. */
export interface TfjsActivationFacts {
  /** TF.js knows `kerasName` as an activation (`Dense({ activation })`, the `Activation` layer). */
  readonly activation: boolean;
  /**
   * TF.js's layer class for it alone, when it has one, and the parameter values that class
   * supports (others are refused by name rather than approximated).
   */
  readonly layer?: { readonly className: string; readonly supports?: Readonly<Partial<Record<UnaryParamName, number>>> };
}
