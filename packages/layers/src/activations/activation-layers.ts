import type { ActivationOp, UnaryParams } from '@scratchnet/backend';
import type { LayerOptions } from '../layer.js';
import { ELU } from './elu.js';
import { LeakyReLU } from './leaky-relu.js';
import { ReLU } from './relu.js';
import { Sigmoid } from './sigmoid.js';
import type { SpecActivation } from './spec-activation.js';
import { Tanh } from './tanh.js';

/**
 * The layer class of each elementwise activation of `UNARY_SPECS` (exhaustive by its type: a new
 * activation in the spec needs its class here), for serialization and model conversion.
 */
export const ACTIVATION_LAYERS: { readonly [K in ActivationOp]: new (options?: LayerOptions & UnaryParams) => SpecActivation } = {
  relu: ReLU,
  leakyRelu: LeakyReLU,
  elu: ELU,
  sigmoid: Sigmoid,
  tanh: Tanh,
};
