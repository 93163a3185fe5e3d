import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, Dropout, ELU, Flatten, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh, ActivationLayer, activationFn, registerLayer, type LayerConfig, type LayerOptions } from '@scratchnet/layers';
import { Rng, randn, tensor, type Tensor } from '@scratchnet/tensor';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequential } from '@scratchnet/model';
import { fromTfjsArtifacts, registerTfjsLayer, toTfjsArtifacts, type TfjsArtifacts } from '@scratchnet/model/tfjs';

beforeAll(async () => {
  setBackend(new CpuBackend());
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const x = randn([7, 6], { rng: new Rng(3) });

function ours(): Sequential {
  const rng = new Rng(8);
  return new Sequential({
    name: 'ours',
    layers: [
      new Dense(6, 16, { rng, activation: 'relu' }),
      new Dropout({ rate: 0.2, seed: 3 }),
      new Dense(16, 12, { rng, activation: 'tanh', kernelInitializer: 'glorotUniform', biasInitializer: 'ones' }),
      new Sigmoid(),
      new Dense(12, 10, { rng, useBias: false }),
      new Tanh(),
      new Dense(10, 10, { rng, activation: 'sigmoid' }),
      new LeakyReLU({ alpha: 0.1 }),
      new Dense(10, 8, { rng, activation: 'linear' }),
      new ReLU(),
      new Dense(8, 6, { rng, activation: 'elu' }),
      new ELU(),
      new Dense(6, 5, { rng, activation: 'softmax' }),
      new Dense(5, 4, { rng }),
      new Softmax(),
    ],
  });
}

/** What a tfjs model hands to a custom save handler. */
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

function maxDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!)))));
  return m;
}

function tfPredict(model: tfl.LayersModel, input: Tensor): number[][] {
  const out = model.predict(tf.tensor2d(Array.from(input.data), input.shape as [number, number])) as tf.Tensor;
  return out.arraySync() as number[][];
}

describe('export to TensorFlow.js', () => {
  it('a model we export loads in tfjs (tf.io.fromMemory) and predicts the same, within 1e-5', async () => {
    const model = ours();
    const artifacts = toTfjsArtifacts(model);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual([
      'Dense', 'Dropout', 'Dense', 'Activation', 'Dense', 'Activation', 'Dense', 'LeakyReLU', 'Dense', 'ReLU', 'Dense', 'ELU', 'Dense', 'Dense', 'Softmax',
    ]);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const ourY = model.predict(x).toArray() as number[][];
    const diff = maxDiff(tfPredict(loaded, x), ourY);
    expect(diff).toBeLessThan(1e-5);
    // Weights arrive bit for bit.
    const tfWeights = loaded.getWeights().map((w) => Array.from(w.dataSync()));
    expect(tfWeights).toEqual(model.weights.map((w) => Array.from(w.data)));
  });

  it('a round trip through the tfjs format keeps configs and predictions bitwise', () => {
    const model = ours();
    const back = fromTfjsArtifacts(toTfjsArtifacts(model));
    expect(back.name).toBe('ours');
    expect(back.layers.map((l) => [l.className, l.getConfig()])).toEqual(model.layers.map((l) => [l.className, l.getConfig()]));
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });

  it('refuses what tfjs cannot represent, naming the layer', () => {
    const rng = new Rng(1);
    expect(() => toTfjsArtifacts(new Sequential([new Dense(3, 2, { rng, dtype: 'float64' })]))).toThrow(
      /^toTfjsArtifacts: layer 'dense' \(Dense\) is float64; TensorFlow\.js layers hold float32$/,
    );
    expect(() => toTfjsArtifacts(new Sequential([new Dense(3, 2, { rng, activation: 'leaky_relu' })]))).toThrow(
      /^toTfjsArtifacts: layer 'dense' \(Dense\) uses activation "leaky_relu", which TensorFlow\.js Dense does not have; use a separate LeakyReLU layer/,
    );
    expect(() => toTfjsArtifacts(new Sequential([new Dense(3, 2, { rng }), new ELU({ alpha: 0.5 })]))).toThrow(
      /^toTfjsArtifacts: layer 'elu' \(ELU\) has alpha 0\.5; TensorFlow\.js's ELU supports only alpha 1$/,
    );
    class Identity extends ActivationLayer {
      readonly className = 'Identity';
      protected readonly fn = activationFn('Identity', 'linear');
    }
    expect(() => toTfjsArtifacts(new Sequential([new Dense(3, 2, { rng }), new Identity({ name: 'same' })]))).toThrow(
      /^toTfjsArtifacts: layer 'same' \(Identity\) has no TensorFlow\.js equivalent$/,
    );
    expect(() => toTfjsArtifacts(new Sequential([new ReLU(), new Dense({ units: 2 })]))).toThrow(
      /^toTfjsArtifacts: model 'sequential' has no known input shape; build it first \(model\.build\(\[null, features\]\), or predict once\)/,
    );
    expect(() => toTfjsArtifacts(new Sequential([new Dense(3, 2, { rng }), new Dense({ units: 2, name: 'later' })]))).toThrow(
      /^toTfjsArtifacts: layer 'later' \(Dense\) is not built, so it has no weights to export/,
    );
  });
});

describe('import from TensorFlow.js', () => {
  it('a model built and trained in tfjs imports with the same predictions, within 1e-5', async () => {
    const model = tfl.sequential({
      name: 'from_tfjs',
      layers: [
        tfl.layers.dense({ units: 16, inputShape: [6], activation: 'relu' }),
        tfl.layers.dropout({ rate: 0.25 }),
        tfl.layers.dense({ units: 12, activation: 'tanh', kernelInitializer: 'heNormal' }),
        tfl.layers.activation({ activation: 'sigmoid' }),
        tfl.layers.dense({ units: 10, useBias: false, kernelInitializer: 'glorotNormal' }),
        tfl.layers.reLU(),
        tfl.layers.dense({ units: 10, biasInitializer: 'ones' }),
        tfl.layers.leakyReLU({ alpha: 0.2 }),
        tfl.layers.dense({ units: 8 }),
        tfl.layers.activation({ activation: 'tanh' }),
        tfl.layers.dense({ units: 8, activation: 'sigmoid' }),
        tfl.layers.activation({ activation: 'relu' }),
        tfl.layers.dense({ units: 8, activation: 'elu' }),
        tfl.layers.elu(),
        tfl.layers.activation({ activation: 'elu' }),
        tfl.layers.dense({ units: 4 }),
        tfl.layers.softmax(),
        tfl.layers.activation({ activation: 'softmax' }),
      ],
    });
    // Train briefly, so the weights are tfjs's own and not an initializer's.
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.randomNormal([64, 6], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.randomUniform([64], 0, 4, 'int32', 2), 4);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const history = await model.fit(xs, ys, { epochs: 3, batchSize: 16, verbose: 0 });
    expect(history.history.loss).toHaveLength(3);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).not.toEqual(before);

    const artifacts = await saveTfjs(model);
    const imported = fromTfjsArtifacts(artifacts);
    expect(imported.name).toBe('from_tfjs');
    expect(imported.layers.map((l) => l.className)).toEqual([
      'Dense', 'Dropout', 'Dense', 'Sigmoid', 'Dense', 'ReLU', 'Dense', 'LeakyReLU', 'Dense', 'Tanh', 'Dense', 'ReLU', 'Dense', 'ELU', 'ELU', 'Dense', 'Softmax', 'Softmax',
    ]);
    expect((imported.layers[7] as LeakyReLU).alpha).toBeCloseTo(0.2, 7);
    expect((imported.layers[2] as Dense).kernelInitializer).toBe('heNormal');
    expect((imported.layers[4] as Dense).useBias).toBe(false);
    const diff = maxDiff(imported.predict(x).toArray() as number[][], tfPredict(model, x));
    expect(diff).toBeLessThan(1e-5);
  });

  it('accepts weightData split over several buffers', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [2] }), tfl.layers.softmax()] });
    const artifacts = await saveTfjs(model);
    const whole = artifacts.weightData as ArrayBuffer;
    const split = { ...artifacts, weightData: [whole.slice(0, 10), whole.slice(10)] };
    const probe = tensor([[0.5, -1]]);
    expect(Array.from(fromTfjsArtifacts(split).predict(probe).data)).toEqual(Array.from(fromTfjsArtifacts(artifacts).predict(probe).data));
  });

  it('refuses layers, activations, regularizers, constraints and settings we cannot represent, naming the layer', async () => {
    const cases: [tfl.layers.Layer[], RegExp][] = [
      [[tfl.layers.dense({ units: 3, inputShape: [4] }), tfl.layers.layerNormalization({ name: 'ln' })], /layer 'ln' \(LayerNormalization\) has no scratchnet equivalent/],
      [[tfl.layers.dense({ units: 3, inputShape: [4], activation: 'selu', name: 'd_selu' })], /layer 'd_selu' \(Dense\) uses activation "selu"/],
      [[tfl.layers.dense({ units: 3, inputShape: [4], name: 'd_l2', kernelRegularizer: 'l1l2' })], /layer 'd_l2' \(Dense\) has kernel_regularizer .*only null is supported/],
      [[tfl.layers.dense({ units: 3, inputShape: [4], name: 'd_c', kernelConstraint: 'nonNeg' })], /layer 'd_c' \(Dense\) has kernel_constraint .*only null is supported/],
      [[tfl.layers.dense({ units: 3, inputShape: [4], name: 'd_init', kernelInitializer: 'randomNormal' })], /layer 'd_init' \(Dense\) has kernel_initializer .*no scratchnet initializer/],
      [[tfl.layers.dense({ units: 3, inputShape: [4] }), tfl.layers.activation({ activation: 'softplus', name: 'act' })], /layer 'act' \(Activation\) uses activation "softplus"/],
      [[tfl.layers.dense({ units: 3, inputShape: [4] }), tfl.layers.reLU({ maxValue: 6, name: 'relu6' })], /layer 'relu6' \(ReLU\) has max_value 6; only max_value null is supported/],
      [[tfl.layers.dense({ units: 3, inputShape: [4] }), tfl.layers.softmax({ axis: 0, name: 'sm0' })], /layer 'sm0' \(Softmax\) has axis 0; only the last axis/],
      [[tfl.layers.dense({ units: 3, inputShape: [4], trainable: false, name: 'frozen' })], /layer 'frozen' \(Dense\) has trainable false/],
      [[tfl.layers.dense({ units: 3, inputShape: [4] }), tfl.layers.dropout({ rate: 0.5, noiseShape: [1, 3], name: 'dn' })], /layer 'dn' \(Dropout\) has noise_shape/],
      [[tfl.layers.dense({ units: 3, inputShape: [4] }), tfl.layers.thresholdedReLU({ name: 'trelu' })], /layer 'trelu' \(ThresholdedReLU\) has no scratchnet equivalent/],
    ];
    for (const [layers, message] of cases) {
      const artifacts = await saveTfjs(tfl.sequential({ layers }));
      expect(() => fromTfjsArtifacts(artifacts)).toThrow(message);
    }
    // A functional model, a non-float32 weight, missing weights and weights of the wrong shape.
    const input = tfl.input({ shape: [4] });
    const functional = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor });
    expect(() => fromTfjsArtifacts(artifacts(functional))).toThrow(/^fromTfjsArtifacts: only Sequential models can be imported; modelTopology\.class_name is "(Model|Functional)"$/);
    const good = await saveTfjs(tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3], name: 'd' })] }));
    expect(() => fromTfjsArtifacts({ ...good, weightSpecs: good.weightSpecs.map((s) => ({ ...s, dtype: 'int32' })) })).toThrow(/weight "d\/kernel" is int32; only float32 weights are supported/);
    expect(() => fromTfjsArtifacts({ ...good, weightSpecs: good.weightSpecs.slice(0, 1), weightData: (good.weightData as ArrayBuffer).slice(0, 24) })).toThrow(
      /layer 'd' \(Dense\) has no weight "d\/bias" in weightSpecs/,
    );
    expect(() => fromTfjsArtifacts({ ...good, weightSpecs: [{ ...good.weightSpecs[0]!, shape: [2, 3] }, good.weightSpecs[1]!] })).toThrow(
      /layer 'd' \(Dense\) has units 2 but a kernel of shape \[2,3\]/,
    );
    expect(() => fromTfjsArtifacts({ ...good, weightData: (good.weightData as ArrayBuffer).slice(4) })).toThrow(/weightData has 28 bytes, the weight specs describe 32/);
  });
});

/** Artifacts of a tfjs model, synchronously enough for a refusal test (topology only matters). */
function artifacts(model: tfl.LayersModel): TfjsArtifacts {
  return { modelTopology: model.toJSON(null, false) as unknown as Record<string, unknown>, weightSpecs: [], weightData: new ArrayBuffer(0) };
}

describe('images (NHWC) cross both ways', () => {
  const images = randn([3, 4, 4, 2], { rng: new Rng(11) });
  const toTf = (t: Tensor) => tf.tensor(Array.from(t.data), t.shape as number[]);

  it('Flatten + Dense exported with batch_input_shape [null, 4, 4, 2] predicts the same in tfjs', async () => {
    const model = new Sequential([new Flatten(), new Dense({ units: 5, activation: 'relu', rng: new Rng(12) }), new Dense({ units: 3, activation: 'softmax', rng: new Rng(13) })]);
    model.build([null, 4, 4, 2]);
    const artifacts = toTfjsArtifacts(model);
    const layers = (artifacts.modelTopology.config as { layers: { config: Record<string, unknown> }[] }).layers;
    expect(layers[0]!.config.batch_input_shape).toEqual([null, 4, 4, 2]);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    const theirs = (loaded.predict(toTf(images)) as tf.Tensor).arraySync() as number[][];
    expect(maxDiff(theirs, model.predict(images).toArray() as number[][])).toBeLessThan(1e-6);
    expect(Array.from(fromTfjsArtifacts(artifacts).predict(images).data)).toEqual(Array.from(model.predict(images).data));
  });

  it('a tfjs model on images imports with every shape followed from its input', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [4, 4, 2] }), tfl.layers.dense({ units: 3, activation: 'softmax' })] });
    const imported = fromTfjsArtifacts(await saveTfjs(model));
    expect(imported.layers.map((l) => l.inputShape)).toEqual([[null, 4, 4, 2], [null, 32]]);
    const theirs = (model.predict(toTf(images)) as tf.Tensor).arraySync() as number[][];
    expect(maxDiff(imported.predict(images).toArray() as number[][], theirs)).toBeLessThan(1e-6);
    const channelsFirst = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [4, 4, 2], dataFormat: 'channelsFirst', name: 'cf' })] });
    expect(() => fromTfjsArtifacts(artifacts(channelsFirst))).toThrow(/layer 'cf' \(Flatten\) has data_format "channels_first"; only channels_last is supported/);
  });
});

describe('registerTfjsLayer', () => {
  /** A layer of our own: the identity, with a tag. */
  class Tagged extends ActivationLayer {
    override readonly className = 'Tagged';
    protected readonly fn = activationFn('Tagged', 'linear');
    readonly tag: string;
    constructor(options: LayerOptions & { tag?: string } = {}) {
      super(options);
      this.tag = options.tag ?? '';
    }
    override getConfig(): LayerConfig {
      return { name: this.name, tag: this.tag };
    }
  }

  it('adds a translation both ways for a class of your own, and refuses a second one', () => {
    registerLayer('Tagged', (config) => new Tagged(config as LayerConfig & { tag: string }));
    const model = new Sequential([new Dense(2, 3, { rng: new Rng(14) }), new Tagged({ tag: 'hello' })]);
    expect(() => toTfjsArtifacts(model)).toThrow(/layer 'tagged' \(Tagged\) has no TensorFlow\.js equivalent/);
    registerTfjsLayer({
      className: 'Tagged',
      toTfjs: (layer) => ({ class_name: 'KerasTagged', config: { tag: layer.getConfig().tag } }),
      kerasClassName: 'KerasTagged',
      fromTfjs: (ctx) => {
        ctx.allow(['tag']);
        return { className: 'Tagged', config: { tag: ctx.config.tag } };
      },
    });
    const artifacts = toTfjsArtifacts(model);
    expect((artifacts.modelTopology.config as { layers: unknown[] }).layers[1]).toEqual({
      class_name: 'KerasTagged',
      config: { name: 'tagged', trainable: true, dtype: 'float32', tag: 'hello' },
    });
    const back = fromTfjsArtifacts(artifacts);
    expect(back.layers[1]).toBeInstanceOf(Tagged);
    expect((back.layers[1] as Tagged).tag).toBe('hello');
    expect(() => registerTfjsLayer({ className: 'Tagged', toTfjs: () => ({ class_name: 'X', config: {} }) })).toThrow(
      /registerTfjsLayer: Tagged already exports; pass \{ replace: true \} to replace it/,
    );
    expect(() => registerTfjsLayer({ kerasClassName: 'Dense', fromTfjs: () => ({ className: 'Dense', config: {} }) })).toThrow(/Keras Dense already imports/);
    expect(() => registerTfjsLayer({ className: 'Half' } as never)).toThrow(/an export needs className \(a non-empty string\) and toTfjs \(a function\)/);
  });
});
