import type { Dense, ForwardOptions } from '@scratchnet/layers';
import type { Tensor } from '@scratchnet/tensor';
import type { Stage } from './stage.js';

/**
 * A final `Dense` with activation `softmax`, run on its logits (`x @ kernel + bias`) so that the
 * fused softmax-cross-entropy can take over the softmax: the layer's own `logits` mode.
 */
export class DenseLogits implements Stage {
  readonly #dense: Dense;

  constructor(dense: Dense) {
    this.#dense = dense;
  }

  forward(x: Tensor, options: ForwardOptions): Tensor {
    return this.#dense.forward(x, { ...options, logits: true });
  }

  backward(dz: Tensor, options: { inputGrad: boolean }): Tensor | null {
    return this.#dense.backward(dz, { inputGrad: options.inputGrad, logits: true });
  }
}
