import { Dense, ReLU, Softmax, type Layer } from '@scratchnet/layers';
import { Sequential } from '@scratchnet/model';

/**
 * An MLP classifier: `Dense → ReLU` for each hidden width, then `Dense → Softmax`. Dense layers
 * draw He-normal weights (`randn * sqrt(2 / fanIn)`) from the global generator, in layer order,
 * as the NumPy reference does after `np.random.seed(seed)`; biases start at zero.
 */
export function mlp(inputSize: number, hidden: readonly number[], classes: number): Sequential {
  const sizes = [inputSize, ...hidden, classes];
  const layers: Layer[] = [];
  for (let i = 1; i < sizes.length; i++) {
    layers.push(new Dense(sizes[i - 1]!, sizes[i]!, { kernelInitializer: 'heNormal' }));
    layers.push(i === sizes.length - 1 ? new Softmax() : new ReLU());
  }
  return new Sequential(layers);
}
