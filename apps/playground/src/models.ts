import { BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D, ReLU, Softmax, type Layer } from '@scratchnet/layers';
import { Sequential } from '@scratchnet/model';
import { MNIST_CLASSES, MNIST_PIXELS, MNIST_SIDE } from './data/mnist-digits.ts';

/** A network the Train panel offers: how to build it, and the shape it takes each digit in. */
export interface ModelKind {
  label: string;
  /** One digit's shape: `[784]` for an MLP, `[28, 28, 1]` for a CNN. */
  inputShape: readonly number[];
  build(): Sequential;
}

/**
 * The networks to train, in picker order. Adding one is one entry here; the worker, the picker
 * and the Draw panel read only this table.
 */
export const MODEL_KINDS = {
  mlp: { label: 'MLP 784-128-128-10', inputShape: [MNIST_PIXELS], build: () => mlp([128, 128]) },
  cnn: { label: 'CNN conv 5×5×12 → conv 5×5×24 → dense 10', inputShape: [MNIST_SIDE, MNIST_SIDE, 1], build: cnn },
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

/**
 * The CNN of `pnpm demo train --model cnn`: two valid 5×5 convolutions (12 and 24 filters,
 * He-normal, no bias — BatchNormalization's offset is the bias), each followed by
 * BatchNormalization, ReLU and 2×2 max pooling (28 → 24 → 12 → 8 → 4), then Dense → Softmax.
 */
function cnn(): Sequential {
  const block = (filters: number, first: boolean): Layer[] => [
    new Conv2D({ filters, kernelSize: 5, useBias: false, kernelInitializer: 'heNormal', ...(first ? { inputShape: [MNIST_SIDE, MNIST_SIDE, 1] } : {}) }),
    new BatchNormalization(),
    new ReLU(),
    new MaxPooling2D({ poolSize: 2 }),
  ];
  return new Sequential([...block(12, true), ...block(24, false), new Flatten(), new Dense({ units: MNIST_CLASSES }), new Softmax()]);
}
