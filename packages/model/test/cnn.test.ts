import { BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D, ReLU, Softmax } from '@scratchnet/layers';
import { Rng, randn, zeros, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, EarlyStopping, ModelFormatError, Sequential, loadModel, loadModelAndOptimizer, memoryHandler } from '@scratchnet/model';
import { snapshot, useCpu } from './helpers.js';

beforeAll(useCpu);

/** conv → BN → pool, twice, then a softmax classifier: the shape of the demo's CNN. */
function cnn(rng: Rng, inputShape?: [number, number, number]): Sequential {
  return new Sequential([
    new Conv2D({ filters: 32, kernelSize: 3, useBias: true, rng, ...(inputShape ? { inputShape } : {}) }),
    // Momenta low enough for the moving statistics to catch up within a short test run (at
    // Keras's 0.99 they move 1 % per step, and inference would still use nearly 0 and 1).
    new BatchNormalization({ momentum: 0.8 }),
    new MaxPooling2D(),
    new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu', rng }),
    new BatchNormalization({ momentum: 0.9 }),
    new MaxPooling2D(),
    new Flatten(),
    new Dense({ units: 10, rng }),
    new Softmax(),
  ]);
}

/**
 * Images whose class is where a bright 3×3 blob sits (top-left, top-right, bottom-left,
 * bottom-right quadrant of a 10×10 image), with noise: a CNN learns it in a few epochs.
 */
function blobs(n: number, rng: Rng): { x: Tensor; y: Tensor } {
  const x = zeros([n, 10, 10, 1]);
  const y = zeros([n], { dtype: 'int32' });
  for (let i = 0; i < n; i++) {
    const label = i % 4;
    y.data[i] = label;
    const top = (label < 2 ? 0 : 5) + Math.floor(rng.random() * 3);
    const left = (label % 2 === 0 ? 0 : 5) + Math.floor(rng.random() * 3);
    for (let p = 0; p < 100; p++) x.data[i * 100 + p] = rng.random() * 0.3;
    for (let r = top; r < top + 3; r++) for (let c = left; c < left + 3; c++) x.data[i * 100 + r * 10 + c] = 1;
  }
  return { x, y };
}

describe('summary of a CNN', () => {
  it('prints 4-D output shapes and parameter counts as Keras does, with the non-trainable moving statistics apart', () => {
    const model = cnn(new Rng(1), [28, 28, 1]);
    model.build([null, 28, 28, 1]);
    const rule = '_'.repeat(79);
    const double = '='.repeat(79);
    expect(model.summary({ printFn: () => {} })).toBe(
      [
        'Model: "sequential"',
        rule,
        'Layer (type)                               Output Shape                 Param #',
        double,
        'conv2d (Conv2D)                            (None, 26, 26, 32)               320',
        rule,
        'batch_normalization (BatchNormalization)   (None, 26, 26, 32)               128',
        rule,
        'max_pooling2d (MaxPooling2D)               (None, 13, 13, 32)                 0',
        rule,
        'conv2d_1 (Conv2D)                          (None, 11, 11, 64)            18,496',
        rule,
        'batch_normalization_1 (BatchNormalization) (None, 11, 11, 64)               256',
        rule,
        'max_pooling2d_1 (MaxPooling2D)             (None, 5, 5, 64)                   0',
        rule,
        'flatten (Flatten)                          (None, 1600)                       0',
        rule,
        'dense (Dense)                              (None, 10)                    16,010',
        rule,
        'softmax (Softmax)                          (None, 10)                         0',
        double,
        'Total params: 35,210 (137.54 KB)',
        'Trainable params: 35,018 (136.79 KB)',
        'Non-trainable params: 192 (768.00 B)',
        rule,
      ].join('\n'),
    );
    expect(model.countParams()).toBe(35210);
  });
});

describe('training a CNN', () => {
  it('learns, updates the moving statistics in training only, and never gives them to the optimizer', async () => {
    const rng = new Rng(2);
    const { x, y } = blobs(96, rng);
    const model = cnn(rng);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 6, batchSize: 16, rng });
    expect(history.history.loss!.at(-1)!).toBeLessThan(history.history.loss![0]! / 3);
    expect(model.evaluate(x, y).metrics.accuracy).toBeGreaterThan(0.9);
    expect(model.namedParams().map((p) => p.key)).not.toContain('batch_normalization/moving_mean');
    expect(model.namedWeights().map((p) => p.key)).toEqual([
      'conv2d/kernel',
      'conv2d/bias',
      'batch_normalization/gamma',
      'batch_normalization/beta',
      'batch_normalization/moving_mean',
      'batch_normalization/moving_variance',
      'conv2d_1/kernel',
      'conv2d_1/bias',
      'batch_normalization_1/gamma',
      'batch_normalization_1/beta',
      'batch_normalization_1/moving_mean',
      'batch_normalization_1/moving_variance',
      'dense/kernel',
      'dense/bias',
    ]);
    expect(Object.keys(model.optimizer!.getState().slots)).toEqual(model.namedParams().map((p) => p.key));
    const moving = snapshot(model.weights);
    model.predict(x);
    model.evaluate(x, y);
    expect(snapshot(model.weights)).toEqual(moving);
    const bn = model.layers[1] as BatchNormalization;
    expect(Array.from(bn.movingVariance!.data).every((v) => v !== 1)).toBe(true);
  });

  it('getWeights / setWeights carry the moving statistics too', () => {
    const a = cnn(new Rng(3), [10, 10, 1]);
    const b = cnn(new Rng(4), [10, 10, 1]);
    a.build([null, 10, 10, 1]);
    b.build([null, 10, 10, 1]);
    (a.layers[1] as BatchNormalization).movingMean!.data.fill(0.25);
    b.setWeights(a.getWeights());
    expect(Array.from((b.layers[1] as BatchNormalization).movingMean!.data)).toEqual(new Array(32).fill(0.25));
    const probe = randn([3, 10, 10, 1], { rng: new Rng(5) });
    expect(Array.from(b.predict(probe).data)).toEqual(Array.from(a.predict(probe).data));
  });

  it('EarlyStopping restores the best moving statistics with the best weights', async () => {
    const rng = new Rng(6);
    const { x, y } = blobs(32, rng);
    const model = cnn(rng);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    const losses: number[] = [];
    const snapshots: number[][][] = [];
    const record = {
      onEpochEnd: (_epoch: number, logs: Record<string, number>) => {
        losses.push(logs.loss!);
        snapshots.push(snapshot(model.weights));
      },
    };
    // "Best" is the highest loss here (mode 'max'), so that it is surely not the last epoch's.
    const stopping = new EarlyStopping({ monitor: 'loss', mode: 'max', patience: 10, restoreBestWeights: true });
    await model.fit(x, y, { epochs: 4, batchSize: 8, rng, callbacks: [record, stopping] });
    const best = losses.indexOf(Math.max(...losses));
    expect(best).toBeLessThan(losses.length - 1);
    expect(snapshot(model.weights)).toEqual(snapshots[best]);
    expect(snapshot(model.weights)).not.toEqual(snapshots.at(-1));
  });
});

describe('saving a CNN', () => {
  it('round trip: weights, moving statistics and Adam state bitwise; training resumes identically', async () => {
    const rng = new Rng(7);
    const { x, y } = blobs(48, rng);
    const model = cnn(rng);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 2, batchSize: 16, rng: new Rng(8) });
    const handler = memoryHandler();
    await model.save(handler);
    const manifest = handler.artifacts!.manifest as { weights: { name: string }[]; optimizer: { slots: { param: string }[] } };
    expect(manifest.weights.map((w) => w.name)).toContain('batch_normalization_1/moving_variance');
    expect(manifest.optimizer.slots.map((s) => s.param)).not.toContain('batch_normalization_1/moving_variance');
    const { model: loaded, optimizer } = await loadModelAndOptimizer(handler);
    expect(snapshot(loaded.weights)).toEqual(snapshot(model.weights));
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    loaded.compile({ optimizer: optimizer!, loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: 16, rng: new Rng(9) });
    await loaded.fit(x, y, { epochs: 1, batchSize: 16, rng: new Rng(9) });
    expect(snapshot(loaded.weights)).toEqual(snapshot(model.weights));
  });

  it('a hand-edited Conv2D or BatchNormalization config is refused before anything is built', async () => {
    const model = cnn(new Rng(10), [10, 10, 1]);
    model.build([null, 10, 10, 1]);
    const handler = memoryHandler();
    await model.save(handler, { includeOptimizer: false });
    const { manifest, weights } = handler.artifacts!;
    const edit = (change: (m: { architecture: { config: Record<string, unknown> }[] }) => void) => {
      const copy = JSON.parse(JSON.stringify(manifest)) as { architecture: { config: Record<string, unknown> }[] };
      change(copy);
      return loadModel(memoryHandler({ manifest: copy, weights }));
    };
    await expect(edit((m) => (m.architecture[0]!.config.filters = 4000))).rejects.toThrow(
      /^model\.json: weights\[0\]\.shape: expected \[3,3,1,4000\] for conv2d\/kernel, got \[3,3,1,32\]$/,
    );
    await expect(edit((m) => (m.architecture[0]!.config.inputShape = [10, 10, 3]))).rejects.toThrow(/expected \[3,3,3,32\] for conv2d\/kernel, got \[3,3,1,32\]/);
    await expect(edit((m) => (m.architecture[1]!.config.center = false))).rejects.toThrow(
      /weights\[3\]\.name: expected "batch_normalization\/moving_mean" \(parameter 3 in layer order\), got "batch_normalization\/beta"/,
    );
    await expect(edit((m) => (m.architecture[0]!.config.padding = 'full'))).rejects.toThrow(ModelFormatError);
  });

  it('a Conv2D built by its first forward records its input shape, so the model saves and loads', async () => {
    const model = new Sequential([new Conv2D({ filters: 2, kernelSize: 3, rng: new Rng(11) }), new ReLU(), new Flatten(), new Dense({ units: 2, rng: new Rng(12) })]);
    model.predict(randn([1, 5, 5, 1]));
    const handler = memoryHandler();
    await model.save(handler);
    expect(((handler.artifacts!.manifest as { architecture: { config: { inputShape?: unknown } }[] }).architecture[0]!.config.inputShape)).toEqual([5, 5, 1]);
    expect(Array.from((await loadModel(handler)).predict(randn([1, 5, 5, 1], { rng: new Rng(1) })).data)).toEqual(
      Array.from(model.predict(randn([1, 5, 5, 1], { rng: new Rng(1) })).data),
    );
  });
});
