import { Dense, ReLU, Softmax, type Layer } from '@scratchnet/layers';
import { Sequential } from '@scratchnet/model';
import { MNIST_CLASSES, MNIST_PIXELS } from './data/mnist-digits.ts';

/** A network the Train panel offers: how to build it, and the shape it takes each digit in. */
export interface ModelKind {
  label: string;
  /** One digit's shape: `[784]` for an MLP, `[28, 28, 1]` for a CNN. */
  inputShape: readonly number[];
  build(): Sequential;
}

/**
 * The networks to train, in picker order. Adding one (the CNN of `pnpm demo train --model cnn`)
 * is one entry here; the worker, the picker and the Draw panel read only this table.
 */
export const MODEL_KINDS = {
  mlp: { label: 'MLP 784-128-128-10', inputShape: [MNIST_PIXELS], build: () => mlp([128, 128]) },
} satisfies Record<string, ModelKind>;

export type ModelKindId = keyof typeof MODEL_KINDS;

/** `Dense → ReLU` per hidden width, then `Dense → Softmax`, He-normal weights: the demo's MLP. */
function mlp(hidden: readonly number[]): Sequential {
  const sizes = [MNIST_PIXELS, ...hidden, MNIST_CLASSES];
  const layers: Layer[] = [];
  for (let i = 1; i < sizes.length; i++) {
    layers.push(new Dense(sizes[i - 1]!, sizes[i]!, { kernelInitializer: 'heNormal' }));
    layers.push(i === sizes.length - 1 ? new Softmax() : new ReLU());
  }
  return new Sequential(layers);
}
