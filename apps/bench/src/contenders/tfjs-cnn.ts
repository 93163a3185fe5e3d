import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CNN_BLOCKS, CNN_CLASSES, CNN_SIDE } from '../cnn-model.js';
import { INFERENCE_BATCH, type CnnCase, type CnnData } from './contender.js';

/** The bench CNN in `@tensorflow/tfjs-layers` on the active tfjs backend. */
export async function tfjsCnn(data: CnnData): Promise<CnnCase> {
  const layers: tfl.layers.Layer[] = [];
  CNN_BLOCKS.forEach(({ filters, kernelSize }, i) => {
    layers.push(
      tfl.layers.conv2d({ filters, kernelSize, useBias: false, kernelInitializer: 'heNormal', ...(i === 0 ? { inputShape: [CNN_SIDE, CNN_SIDE, 1] } : {}) }),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU(),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
    );
  });
  const model = tfl.sequential({ layers: [...layers, tfl.layers.flatten(), tfl.layers.dense({ units: CNN_CLASSES, activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.adam(data.learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor4d(data.pixels.subarray(0, data.samples * CNN_SIDE * CNN_SIDE), [data.samples, CNN_SIDE, CNN_SIDE, 1]);
  // tfjs-layers' sparse loss takes the class indices as floats.
  const y = tf.tensor1d(Float32Array.from(data.labels.subarray(0, data.samples)));
  // The first `samples` digits, sliced once per count.
  const slices = new Map<number, [tf.Tensor, tf.Tensor]>();
  const first = (samples: number): [tf.Tensor, tf.Tensor] => {
    let s = slices.get(samples);
    if (s === undefined) {
      s = samples === data.samples ? [x, y] : [tf.slice(x, 0, samples), tf.slice(y, 0, samples)];
      slices.set(samples, s);
    }
    return s;
  };
  return {
    async train(samples) {
      const [xs, ys] = first(samples);
      await model.fit(xs, ys, { epochs: 1, batchSize: data.batchSize, shuffle: true, verbose: 0 });
    },
    infer(samples) {
      // Reading the result back makes sure the work is done, on any backend.
      const out = model.predict(first(samples)[0], { batchSize: INFERENCE_BATCH }) as tf.Tensor;
      out.dataSync();
      out.dispose();
    },
    dispose() {
      model.dispose();
      for (const [xs, ys] of slices.values()) if (xs !== x) tf.dispose([xs, ys]);
      tf.dispose([x, y]);
    },
  };
}
