import type { Tensor } from '@scratchnet/tensor';
import type { BackwardOptions, ForwardOptions } from './layer.js';

/**
 * One step of a training pipeline, as a model drives it: `forward` (caching what `backward`
 * needs when training) and `backward(dy)`, which accumulates parameter gradients and returns
 * `dx`, or null when `inputGrad` is false. Every `Layer` is one; `Layer.logitsStage()` hands out
 * another, a view of the layer without its final activation.
 */
export interface Stage {
  forward(x: Tensor, options?: ForwardOptions): Tensor;
  backward(dy: Tensor, options?: BackwardOptions): Tensor | null;
}

/**
 * The stage that passes its input through: the logits stage of an activation layer (a `Softmax`
 * layer's logits are its input). It allocates nothing and returns its arguments.
 */
export const identityStage: Stage = Object.freeze({
  forward: (x: Tensor): Tensor => x,
  backward: (dy: Tensor, options?: BackwardOptions): Tensor | null => (options?.inputGrad === false ? null : dy),
});
