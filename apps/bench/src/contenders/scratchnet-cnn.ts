import { BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D, ReLU, Softmax, type Layer } from '@scratchnet/layers';
import { Adam, Sequential } from '@scratchnet/model';
import { zeros, type Rng } from '@scratchnet/tensor';
import { CNN_BLOCKS, CNN_CLASSES, CNN_SIDE } from '../cnn-model.js';
import { INFERENCE_BATCH, type CnnCase, type CnnData } from './contender.js';

/** The bench CNN in scratchnet on the active backend (tensors created after it is set, so they live in its memory). */
export async function scratchnetCnn(data: CnnData, rng: Rng): Promise<CnnCase> {
  const layers: Layer[] = [];
  CNN_BLOCKS.forEach(({ filters, kernelSize }, i) => {
    layers.push(
      new Conv2D({ filters, kernelSize, useBias: false, kernelInitializer: 'heNormal', rng, ...(i === 0 ? { inputShape: [CNN_SIDE, CNN_SIDE, 1] } : {}) }),
      new BatchNormalization(),
      new ReLU(),
      new MaxPooling2D({ poolSize: 2 }),
    );
  });
  const model = new Sequential([...layers, new Flatten(), new Dense({ units: CNN_CLASSES, rng }), new Softmax()]);
  model.compile({ optimizer: new Adam({ learningRate: data.learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = zeros([data.samples, CNN_SIDE, CNN_SIDE, 1], { dtype: 'float32' });
  x.data.set(data.pixels.subarray(0, data.samples * CNN_SIDE * CNN_SIDE));
  const y = zeros([data.samples], { dtype: 'int32' });
  y.data.set(data.labels.subarray(0, data.samples));
  return {
    async train(samples) {
      await model.fit(x.slice(0, samples), y.slice(0, samples), { epochs: 1, batchSize: data.batchSize, shuffle: true, rng });
    },
    infer(samples) {
      model.predict(x.slice(0, samples), { batchSize: INFERENCE_BATCH });
    },
    dispose() {},
  };
}
