import {
  activationBackward,
  leakyRelu,
  relu,
  sigmoid,
  softmax,
  softmaxBackward,
  tanh,
} from '@scratchnet/backend';
import { ValueError, type Tensor } from '@scratchnet/tensor';

/** Activation names as Keras and TensorFlow.js spell them in configs. */
export type ActivationName = 'linear' | 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh' | 'softmax';

export const ACTIVATION_NAMES: readonly ActivationName[] = ['linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax'];

/**
 * One activation's forward and backward. `saves` says which tensor `backward` needs: the
 * activation's input (ReLU family) or its output (sigmoid, tanh, softmax: the derivative is
 * cheapest from y), so a layer caches exactly that one.
 */
export interface ActivationFn {
  readonly name: ActivationName;
  readonly saves: 'input' | 'output' | 'nothing';
  forward(x: Tensor, out?: Tensor): Tensor;
  backward(saved: Tensor | undefined, dy: Tensor, out?: Tensor): Tensor;
}

const outOpt = (out: Tensor | undefined) => (out ? { out } : {});

export function activationFn(owner: string, name: unknown, alpha = 0.3): ActivationFn {
  switch (name) {
    case 'linear':
      return {
        name,
        saves: 'nothing',
        forward: (x) => x,
        backward: (_saved, dy) => dy,
      };
    case 'relu':
      return {
        name,
        saves: 'input',
        forward: (x, out) => relu(x, outOpt(out)),
        backward: (saved, dy, out) => activationBackward('relu', saved!, dy, outOpt(out)),
      };
    case 'leaky_relu':
      return {
        name,
        saves: 'input',
        forward: (x, out) => leakyRelu(x, alpha, outOpt(out)),
        backward: (saved, dy, out) => activationBackward('leakyRelu', saved!, dy, { alpha, ...outOpt(out) }),
      };
    case 'sigmoid':
      return {
        name,
        saves: 'output',
        forward: (x, out) => sigmoid(x, outOpt(out)),
        backward: (saved, dy, out) => activationBackward('sigmoid', saved!, dy, outOpt(out)),
      };
    case 'tanh':
      return {
        name,
        saves: 'output',
        forward: (x, out) => tanh(x, outOpt(out)),
        backward: (saved, dy, out) => activationBackward('tanh', saved!, dy, outOpt(out)),
      };
    case 'softmax':
      return {
        name,
        saves: 'output',
        forward: (x, out) => softmax(x, outOpt(out)),
        backward: (saved, dy, out) => softmaxBackward(saved!, dy, outOpt(out)),
      };
    default:
      throw new ValueError(`${owner}: unknown activation ${JSON.stringify(name)}; expected one of ${ACTIVATION_NAMES.join(', ')}`);
  }
}
