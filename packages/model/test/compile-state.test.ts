import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, ReLU, Sigmoid, Softmax, registerLoss, type Loss } from '@scratchnet/layers';
import { Rng, ValueError, randint, randn, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, ModelFormatError, SGD, Sequential, loadModel, loadModelAndOptimizer, memoryHandler, saveModel, type ModelManifest } from '@scratchnet/model';

// Issue 10, items 13 and 14: what a model's compile state means across models, saves and a running fit.

beforeAll(() => {
  setBackend(new CpuBackend());
});

function classifier(seed = 21): Sequential {
  const rng = new Rng(seed);
  return new Sequential([new Dense(5, 12, { rng, activation: 'relu' }), new Dense(12, 4, { rng }), new Softmax()]);
}

const x = randn([40, 5], { rng: new Rng(1) });
const y: Tensor = randint(0, 4, [40], { rng: new Rng(2) });

function weightBits(model: Sequential): number[][] {
  return model.weights.map((w) => Array.from(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength)));
}

describe('one optimizer, one model (item 13)', () => {
  it('refuses an optimizer already compiled into another model, naming both', () => {
    const adam = new Adam({ learningRate: 0.01 });
    const a = new Sequential({ name: 'a', layers: [new Dense(5, 4), new Softmax()] });
    const b = new Sequential({ name: 'b', layers: [new Dense(5, 4), new Softmax()] });
    a.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' });
    expect(() => b.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' })).toThrow(ValueError);
    expect(() => b.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' })).toThrow(
      /compile: this Adam is already compiled into model 'a'.*give model 'b' its own/,
    );
    expect(b.optimizer).toBeUndefined();
  });

  it('says so when the other model has the same name (both default to "sequential")', () => {
    const sgd = new SGD();
    classifier().compile({ optimizer: sgd, loss: 'sparseCategoricalCrossentropy' });
    expect(() => classifier().compile({ optimizer: sgd, loss: 'sparseCategoricalCrossentropy' })).toThrow(/another model also named 'sequential'/);
  });

  it('refuses it also after the first model moved on to another optimizer (the moments would carry over)', () => {
    const adam = new Adam();
    const a = classifier();
    a.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' });
    a.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    expect(() => classifier().compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' })).toThrow(/already compiled into/);
  });

  it('lets a model be compiled again with its own optimizer (new loss, same moments)', async () => {
    const adam = new Adam({ learningRate: 0.01 });
    const model = classifier();
    model.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: 8, rng: new Rng(3) });
    model.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    expect(model.optimizer).toBe(adam);
    expect(adam.iterations).toBe(5);
  });

  it('a refused compile leaves the model as it was', () => {
    const adam = new Adam();
    classifier().compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' });
    const b = classifier();
    b.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    expect(() => b.compile({ optimizer: adam, loss: 'categoricalCrossentropy' })).toThrow(/already compiled into/);
    expect(b.optimizer?.className).toBe('SGD');
    expect(b.loss?.name).toBe('sparseCategoricalCrossentropy');
  });

  it('an optimizer that failed to compile (bad loss) is not claimed', () => {
    const adam = new Adam();
    expect(() => classifier().compile({ optimizer: adam, loss: 'noSuchLoss' })).toThrow(/noSuchLoss/);
    expect(() => classifier().compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy' })).not.toThrow();
  });
});

describe('loadModel returns the model compiled as it was saved (item 14)', () => {
  it('optimizer with its state, loss and metrics come back; fit resumes bitwise as if never stopped', async () => {
    const straight = classifier();
    straight.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const straightRng = new Rng(5);
    await straight.fit(x, y, { epochs: 2, batchSize: 8, rng: straightRng });
    const expected = await straight.fit(x, y, { epochs: 2, batchSize: 8, rng: straightRng });

    const first = classifier();
    first.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const rng = new Rng(5);
    await first.fit(x, y, { epochs: 2, batchSize: 8, rng });
    const handler = memoryHandler();
    await saveModel(first, handler);
    expect((handler.artifacts!.manifest as ModelManifest).training).toEqual({ loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

    const loaded = await loadModel(handler);
    expect(loaded.optimizer?.className).toBe('Adam');
    expect(loaded.optimizer?.iterations).toBe(10);
    expect(loaded.optimizer?.getConfig()).toEqual(first.optimizer!.getConfig());
    expect(loaded.loss?.name).toBe('sparseCategoricalCrossentropy');
    expect(loaded.metrics).toEqual(['accuracy']);
    // No compile call: fit and evaluate work at once.
    const history = await loaded.fit(x, y, { epochs: 2, batchSize: 8, rng });
    expect(weightBits(loaded)).toEqual(weightBits(straight));
    expect(history.history).toEqual(expected.history);
    expect(Object.keys(loaded.evaluate(x, y).metrics)).toEqual(['accuracy']);
  });

  it('loadModelAndOptimizer returns the optimizer the loaded model is compiled with', async () => {
    const model = classifier();
    model.compile({ optimizer: 'rmsprop', loss: 'sparseCategoricalCrossentropy' });
    const handler = memoryHandler();
    await saveModel(model, handler);
    const loaded = await loadModelAndOptimizer(handler);
    expect(loaded.model.optimizer).toBe(loaded.optimizer);
    // The old recipe still works: compiling the loaded model with its own optimizer again.
    expect(() => loaded.model.compile({ optimizer: loaded.optimizer!, loss: 'sparseCategoricalCrossentropy' })).not.toThrow();
  });

  it('includeOptimizer: false saves weights only, and the loaded model is not compiled', async () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const handler = memoryHandler();
    await saveModel(model, handler, { includeOptimizer: false });
    const manifest = handler.artifacts!.manifest as ModelManifest;
    expect(manifest.optimizer).toBeUndefined();
    expect(manifest.training).toBeUndefined();
    expect((await loadModel(handler)).optimizer).toBeUndefined();
  });

  it('an uncompiled model saves no training config and loads uncompiled', async () => {
    const handler = memoryHandler();
    const model = classifier();
    model.build([null, 5]);
    await saveModel(model, handler);
    expect((handler.artifacts!.manifest as ModelManifest).training).toBeUndefined();
    expect((await loadModel(handler)).loss).toBeUndefined();
  });

  it('a file saved before the compile config was kept (optimizer only) loads uncompiled, as before', async () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const handler = memoryHandler();
    await saveModel(model, handler);
    const manifest = handler.artifacts!.manifest as ModelManifest;
    delete manifest.training;
    const loaded = await loadModelAndOptimizer(handler);
    expect(loaded.model.loss).toBeUndefined();
    expect(loaded.optimizer?.className).toBe('Adam');
  });

  it('refuses to save a loss that loading could not find by name, before writing anything', async () => {
    const own: Loss = { ...classifierLoss(), name: 'myUnregisteredLoss' };
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: own });
    const handler = memoryHandler();
    await expect(saveModel(model, handler)).rejects.toThrow(/loss 'myUnregisteredLoss' is not registered.*registerLoss\('myUnregisteredLoss'.*includeOptimizer: false/);
    expect(handler.artifacts).toBeUndefined();
    await expect(saveModel(model, handler, { includeOptimizer: false })).resolves.toBeDefined();
  });

  it('a registered loss of your own comes back by name', async () => {
    registerLoss('squaredErrorOfMine', () => ({ ...classifierLoss(), name: 'squaredErrorOfMine' }), { replace: true });
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'squaredErrorOfMine' });
    const handler = memoryHandler();
    await saveModel(model, handler);
    expect((await loadModel(handler)).loss?.name).toBe('squaredErrorOfMine');
  });

  it('a hand-edited training config is a ModelFormatError naming the field', async () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const handler = memoryHandler();
    await saveModel(model, handler);
    const good = handler.artifacts!;
    const edit = async (change: (m: Record<string, unknown>) => void) => {
      const manifest = JSON.parse(JSON.stringify(good.manifest)) as Record<string, unknown>;
      change(manifest);
      return loadModel(memoryHandler({ manifest, weights: good.weights }));
    };
    await expect(edit((m) => ((m.training as { loss: string }).loss = 'noSuchLoss'))).rejects.toThrow(ModelFormatError);
    await expect(edit((m) => ((m.training as { loss: string }).loss = 'noSuchLoss'))).rejects.toThrow(/training.*noSuchLoss/);
    await expect(edit((m) => ((m.training as { metrics: unknown }).metrics = 'accuracy'))).rejects.toThrow(/training\.metrics.*expected an array/);
    await expect(edit((m) => ((m.training as { metrics: string[] }).metrics = ['noSuchMetric']))).rejects.toThrow(/training.*noSuchMetric/);
    await expect(edit((m) => ((m.training as Record<string, unknown>).extra = 1))).rejects.toThrow(/training/);
    // A loss on logits does not fit the last layer, a softmax.
    await expect(edit((m) => ((m.training as { loss: string }).loss = 'softmaxCrossentropy'))).rejects.toThrow(/training.*softmaxCrossentropy.*does not fit/);
    await expect(edit((m) => delete m.optimizer)).rejects.toThrow(/training.*without optimizer/);
  });
});

function classifierLoss(): Loss {
  // Any loss taking any values will do as a loss of one's own.
  const model = new Sequential([new Dense(2, 2)]);
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const base = model.loss!;
  return { name: base.name, expects: base.expects, compute: (p, t, o) => base.compute(p, t, o), check: (s, t) => base.check(s, t) };
}

describe('the not-compiled error suggests what fits the last layer (item 14)', () => {
  const fitOn = (model: Sequential) => model.fit(randn([4, 3]), randn([4, 2]));
  it('softmax: sparse categorical cross-entropy, or categorical for one-hot labels', async () => {
    await expect(fitOn(new Sequential([new Dense(3, 2), new Softmax()]))).rejects.toThrow(
      /not compiled; call model\.compile\(\{ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy'.*first: the model ends in a softmax.*one-hot labels, 'categoricalCrossentropy'/,
    );
  });
  it('Dense with a softmax activation counts as a softmax', () => {
    expect(() => new Sequential([new Dense(3, 2, { activation: 'softmax' })]).evaluate(randn([4, 3]), randint(0, 2, [4]))).toThrow(
      /loss: 'sparseCategoricalCrossentropy'/,
    );
  });
  it('sigmoid: binary cross-entropy', async () => {
    await expect(fitOn(new Sequential([new Dense(3, 2), new Sigmoid()]))).rejects.toThrow(/loss: 'binaryCrossentropy'.*ends in a sigmoid and the labels are 0 or 1/);
  });
  it('anything else: mean squared error, and how to classify', async () => {
    await expect(fitOn(new Sequential([new Dense(3, 2), new ReLU()]))).rejects.toThrow(/loss: 'meanSquaredError'.*sparseSoftmaxCrossentropy/);
  });
  it('the suggestion compiles the model it was given for', async () => {
    for (const [last, loss] of [
      [new Softmax(), 'sparseCategoricalCrossentropy'],
      [new Sigmoid(), 'binaryCrossentropy'],
      [new ReLU(), 'meanSquaredError'],
    ] as const) {
      const model = new Sequential([new Dense(3, 2), last]);
      const message = await fitOn(model).then(
        () => '',
        (error: Error) => error.message,
      );
      expect(message).toContain(`loss: '${loss}'`);
      expect(() => model.compile({ optimizer: 'adam', loss })).not.toThrow();
    }
  });
});

describe('reading a model while an un-awaited fit trains it (item 14)', () => {
  it('evaluate, computeGradients and applyGradients refuse; compile refuses; predict is allowed', async () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const running = model.fit(x, y, { epochs: 3, batchSize: 8, rng: new Rng(4) });
    // The fit has started (it ran up to its first yield) and is not resolved.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(() => model.evaluate(x, y)).toThrow(ValueError);
    expect(() => model.evaluate(x, y)).toThrow(/evaluate: model 'sequential' is training.*await the fit first, or call evaluate from one of its callbacks/);
    expect(() => model.computeGradients(x, y)).toThrow(/computeGradients: .* is training/);
    expect(() => model.applyGradients({})).toThrow(/applyGradients: .* is training/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' })).toThrow(/compile: .* is training/);
    expect(model.predict(x).shape).toEqual([40, 4]);
    await running;
    expect(model.optimizer?.className).toBe('Adam');
    expect(model.evaluate(x, y).metrics.accuracy).toBeGreaterThanOrEqual(0);
  });

  it("the fit's own callbacks may evaluate (that is what onEpochEnd is for), and see that epoch's weights", async () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const seen: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 2,
      batchSize: 40,
      shuffle: false,
      callbacks: { onEpochEnd: () => void seen.push(model.evaluate(x, y, { batchSize: 40 }).loss) },
    });
    expect(seen).toHaveLength(2);
    // One batch of all rows, no shuffle: the epoch's mean loss is the loss before its step, and
    // the next epoch's loss is what evaluate saw after the first step.
    expect(seen[0]).toBeCloseTo(history.history.loss![1]!, 12);
  });
});
