import { BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D, ReLU, Softmax, type Layer } from '@scratchnet/layers';
import { Sequential } from '@scratchnet/model';

/** What the report says the CNN is. */
export const CNN_DESCRIPTION = 'CNN conv 5×5×12 → BN → ReLU → pool 2 → conv 5×5×24 → BN → ReLU → pool 2 → dense 10, softmax';

/**
 * The demo's convolutional classifier of 28×28 grey digits (`[n, 28, 28, 1]`): two 5×5 `valid`
 * convolutions (12 and 24 filters, He-normal weights, no bias: BatchNormalization's β is the
 * bias), each followed by BatchNormalization, ReLU and 2×2 max pooling — 28 → 24 → 12 → 8 → 4 —
 * then a softmax over the 4·4·24 = 384 features. Weights are drawn from the global generator in
 * layer order.
 */
export function cnn(): Sequential {
  const block = (filters: number, first: boolean): Layer[] => [
    new Conv2D({ filters, kernelSize: 5, useBias: false, kernelInitializer: 'heNormal', ...(first ? { inputShape: [28, 28, 1] } : {}) }),
    new BatchNormalization(),
    new ReLU(),
    new MaxPooling2D({ poolSize: 2 }),
  ];
  return new Sequential([...block(12, true), ...block(24, false), new Flatten(), new Dense({ units: 10 }), new Softmax()]);
}
