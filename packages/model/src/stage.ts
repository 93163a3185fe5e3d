import type { ForwardOptions } from '@scratchnet/layers';
import type { Tensor } from '@scratchnet/tensor';

/**
 * One step of the training pipeline: a layer, or a stand-in for the last one (`DenseLogits`).
 * `Layer` satisfies it; `backward` returns null when `inputGrad` is false.
 */
export interface Stage {
  forward(x: Tensor, options: ForwardOptions): Tensor;
  backward(dy: Tensor, options: { inputGrad: boolean }): Tensor | null;
}
