import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import {
  AveragePooling2D,
  BatchNormalization,
  Conv2D,
  Dense,
  Flatten,
  GlobalAveragePooling2D,
  MaxPooling2D,
  ReLU,
  Reshape,
  Softmax,
} from '@scratchnet/layers';
import { Rng, randint, randn, type Tensor } from '@scratchnet/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, Sequential } from '@scratchnet/model';
import { fromTfjsArtifacts, toTfjsArtifacts, type TfjsArtifacts } from '@scratchnet/model/tfjs';

beforeAll(async () => {
  setBackend(new CpuBackend());
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

async function saveTfjs(model: tfl.LayersModel): Promise<TfjsArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved as unknown as TfjsArtifacts;
}

function topologyOnly(model: tfl.LayersModel): TfjsArtifacts {
  return { modelTopology: model.toJSON(null, false) as unknown as Record<string, unknown>, weightSpecs: [], weightData: new ArrayBuffer(0) };
}

const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), t.shape as number[]);

/** max |a − b| over max |b|: the "relative" of the ≤ 1e-5 float32 bound, safe where b is near 0. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  expect(scale).toBeGreaterThan(0);
  return diff / scale;
}

/** Every image layer at once, with options off their defaults, trained so that BatchNormalization's moving statistics are its own. */
async function trainedImageModel(): Promise<{ model: Sequential; x: Tensor }> {
  const rng = new Rng(5);
  const model = new Sequential({
    name: 'images',
    layers: [
      new Reshape({ targetShape: [9, 8, 2] }),
      new Conv2D({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heNormal', rng }),
      new BatchNormalization({ momentum: 0.8 }),
      new MaxPooling2D({ poolSize: 2, padding: 'same' }),
      new Conv2D({ filters: 5, kernelSize: [2, 3], strides: [2, 1], activation: 'tanh', useBias: false, rng }),
      new AveragePooling2D({ poolSize: [1, 2], strides: 1 }),
      new Conv2D({ filters: 4, kernelSize: 2, dilationRate: [1, 2], padding: 'same', rng }),
      new BatchNormalization({ center: false, epsilon: 0.01 }),
      new ReLU(),
      new Flatten(),
      new Dense({ units: 3, rng }),
      new Softmax(),
    ],
  });
  const x = randn([24, 144], { rng });
  const y = randint(0, 3, [24], { rng });
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 3, batchSize: 8, rng });
  return { model, x };
}

describe('image layers to TensorFlow.js', () => {
  it('a trained CNN with every image layer loads in tfjs and predicts the same (≤ 1e-5 relative, float32)', async () => {
    const { model, x } = await trainedImageModel();
    const bn = model.layers[2] as BatchNormalization;
    // Trained: the moving statistics moved away from their initial 0 and 1.
    expect(Array.from(bn.movingMean!.data).some((v) => Math.abs(v) > 1e-3)).toBe(true);
    const artifacts = toTfjsArtifacts(model);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual([
      'Reshape', 'Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Conv2D', 'AveragePooling2D', 'Conv2D', 'BatchNormalization', 'ReLU', 'Flatten', 'Dense', 'Softmax',
    ]);
    // Every weight arrives bit for bit, the moving statistics included. (tfjs lists a model's
    // trainable weights first, then the others; ours go layer by layer, as Keras 3's do.)
    const theirWeights = Object.fromEntries(loaded.weights.map((w) => [w.name, Array.from(w.read().dataSync())]));
    expect(theirWeights).toEqual(Object.fromEntries(model.namedWeights().map(({ key, param }) => [key, Array.from(param.value.data)])));
    expect(Object.keys(theirWeights)).toContain('batch_normalization_1/moving_variance');
    const theirs = (loaded.predict(toTf(x)) as tf.Tensor).dataSync();
    expect(relativeDifference(model.predict(x).data, theirs)).toBeLessThan(1e-5);
    // And back again: the same configs and bitwise the same predictions.
    const back = fromTfjsArtifacts(artifacts);
    expect(back.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });

  it('GlobalAveragePooling2D on an image input declared by the first Conv2D', async () => {
    const rng = new Rng(6);
    const model = new Sequential([
      new Conv2D({ filters: 4, kernelSize: 3, inputShape: [7, 6, 3], activation: 'sigmoid', rng }),
      new GlobalAveragePooling2D(),
      new Dense({ units: 2, activation: 'softmax', rng }),
    ]);
    const x = randn([5, 7, 6, 3], { rng });
    model.build([null, 7, 6, 3]);
    const artifacts = toTfjsArtifacts(model);
    const layers = (artifacts.modelTopology.config as { layers: { config: Record<string, unknown> }[] }).layers;
    expect(layers[0]!.config.batch_input_shape).toEqual([null, 7, 6, 3]);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    expect(relativeDifference(model.predict(x).data, (loaded.predict(toTf(x)) as tf.Tensor).dataSync())).toBeLessThan(1e-5);
  });

  it('refuses what TF.js cannot run, naming the layer', () => {
    const strided = new Sequential([new Conv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, inputShape: [9, 9, 1], name: 'sd' })]);
    expect(() => toTfjsArtifacts(strided)).toThrow(
      "toTfjsArtifacts: layer 'sd' (Conv2D) has strides [2,2] and dilationRate [2,2]; TensorFlow.js convolves with either strides or dilation 1",
    );
    const leaky = new Sequential([new Conv2D({ filters: 2, kernelSize: 3, activation: 'leaky_relu', inputShape: [5, 5, 1], name: 'cl' })]);
    expect(() => toTfjsArtifacts(leaky)).toThrow(/layer 'cl' \(Conv2D\) uses activation "leaky_relu", which TensorFlow\.js Conv2D does not have; use a separate LeakyReLU layer/);
    const float64 = new Sequential([new BatchNormalization({ inputShape: [4], dtype: 'float64', name: 'bn64' })]);
    expect(() => toTfjsArtifacts(float64)).toThrow(/layer 'bn64' \(BatchNormalization\) is float64/);
  });
});

describe('image layers from TensorFlow.js', () => {
  it('a CNN built in tfjs imports with the same predictions (≤ 1e-5 relative)', async () => {
    const model = tfl.sequential({
      name: 'tfjs_cnn',
      layers: [
        tfl.layers.reshape({ targetShape: [8, 8, 1], inputShape: [64] }),
        tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heUniform' }),
        tfl.layers.batchNormalization({ momentum: 0.5 }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.conv2d({ filters: 6, kernelSize: [2, 2], strides: 2, useBias: false }),
        tfl.layers.batchNormalization({ axis: 3, scale: false }),
        tfl.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        tfl.layers.conv2d({ filters: 3, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'tanh' }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    // Random weights of tfjs's own (tfjs 4.22 cannot train this model: it has no gradient for a
    // dilated convolution, and fails in BatchNormalization's without scale); variances positive.
    model.setWeights(
      model.weights.map((w, i) =>
        w.name.includes('moving_variance') ? tf.randomUniform(w.shape as number[], 0.5, 2, 'float32', i) : tf.randomNormal(w.shape as number[], 0, 0.5, 'float32', i),
      ),
    );
    const imported = fromTfjsArtifacts(await saveTfjs(model));
    expect(imported.layers.map((l) => l.className)).toEqual([
      'Reshape', 'Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Conv2D', 'BatchNormalization', 'AveragePooling2D', 'Conv2D', 'GlobalAveragePooling2D', 'Dense',
    ]);
    const bn = imported.layers[2] as BatchNormalization;
    expect(bn.momentum).toBe(0.5);
    expect(Array.from(bn.movingMean!.data).some((v) => v !== 0)).toBe(true);
    expect((imported.layers[5] as BatchNormalization).scale).toBe(false);
    expect((imported.layers[1] as Conv2D).kernelInitializer).toBe('heUniform');
    expect(imported.layers.map((l) => l.inputShape)).toEqual([
      [null, 64], [null, 8, 8, 1], [null, 8, 8, 4], [null, 8, 8, 4], [null, 4, 4, 4], [null, 2, 2, 6], [null, 2, 2, 6], [null, 2, 2, 6], [null, 2, 2, 3], [null, 3],
    ]);
    const x = randn([9, 64], { rng: new Rng(3) });
    expect(relativeDifference(imported.predict(x).data, (model.predict(toTf(x)) as tf.Tensor).dataSync())).toBeLessThan(1e-5);
  });

  it('refuses channels_first and other options scratchnet cannot represent, by name', async () => {
    const conv = (options: Parameters<typeof tfl.layers.conv2d>[0]) => tfl.sequential({ layers: [tfl.layers.conv2d({ inputShape: [6, 6, 2], ...options })] });
    const cases: [tfl.LayersModel, string | RegExp][] = [
      [conv({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'cf' }), /layer 'cf' \(Conv2D\) has data_format "channels_first"; only channels_last \(NHWC\) is supported/],
      [conv({ filters: 2, kernelSize: 3, kernelRegularizer: 'l1l2', name: 'reg' }), /layer 'reg' \(Conv2D\) has kernel_regularizer .*only null is supported/],
      [conv({ filters: 2, kernelSize: 3, activation: 'selu', name: 'selu' }), /layer 'selu' \(Conv2D\) uses activation "selu"/],
      [conv({ filters: 2, kernelSize: 3, padding: 'causal', name: 'causal' }), /layer 'causal' \(Conv2D\) has padding "causal"; only 'valid' and 'same' are supported/],
      [
        tfl.sequential({ layers: [tfl.layers.maxPooling2d({ inputShape: [4, 4, 2], poolSize: 2, dataFormat: 'channelsFirst', name: 'mp' })] }),
        /layer 'mp' \(MaxPooling2D\) has data_format "channels_first"; only channels_last \(NHWC\) is supported/,
      ],
      [
        tfl.sequential({ layers: [tfl.layers.globalAveragePooling2d({ inputShape: [4, 4, 2], dataFormat: 'channelsFirst', name: 'gap' })] }),
        /layer 'gap' \(GlobalAveragePooling2D\) has data_format "channels_first"/,
      ],
      [
        tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [4, 4, 2], axis: 1, name: 'bn1' })] }),
        /layer 'bn1' \(BatchNormalization\) has axis 1; only the last axis \(-1: channels-last features\) is supported/,
      ],
      [
        tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [4, 4, 2], gammaRegularizer: 'l1l2', name: 'bnr' })] }),
        /layer 'bnr' \(BatchNormalization\) has gamma_regularizer .*only null is supported/,
      ],
    ];
    for (const [model, message] of cases) expect(() => fromTfjsArtifacts(topologyOnly(model))).toThrow(message);
  });
});
