import { Dense, ReLU, Sigmoid, Softmax } from '@scratchnet/layers';
import { DTypeError, Rng, ShapeError, ValueError, rand, randint, tensor, zeros } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequential } from '@scratchnet/model';
import { oneHot, snapshot, useCpu } from './helpers.js';

beforeAll(useCpu);

function model3(rng = new Rng(0)): Sequential {
  return new Sequential([new Dense(2, 4, { rng }), new ReLU(), new Dense(4, 3, { rng }), new Softmax()]);
}

function compiled(loss: 'sparseCategoricalCrossentropy' | 'categoricalCrossentropy' = 'sparseCategoricalCrossentropy'): Sequential {
  const model = model3();
  model.compile({ optimizer: 'adam', loss, metrics: ['accuracy'] });
  return model;
}

const rng = new Rng(1);
const x = rand([10, 2], { rng });
const y = randint(0, 3, [10], { rng });

describe('fit and evaluate reject bad input before touching the weights', () => {
  it('before compile', async () => {
    await expect(model3().fit(x, y)).rejects.toThrow(
      "fit: model 'sequential' is not compiled; call model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] }) first",
    );
    expect(() => model3().evaluate(x, y)).toThrow(/evaluate: model 'sequential' is not compiled/);
  });

  it('labels whose count does not match the samples', async () => {
    const model = compiled();
    const before = snapshot(model.weights);
    await expect(model.fit(x, y.slice(0, 9))).rejects.toThrow(
      new ShapeError('fit: x has 10 samples (shape [10,2]) but y has 9 (shape [9]); give one label per sample'),
    );
    expect(() => model.evaluate(x, y.slice(0, 9))).toThrow(/evaluate: x has 10 samples/);
    expect(snapshot(model.weights)).toEqual(before);
  });

  it('labels whose width or kind does not match the outputs and the loss', async () => {
    await expect(compiled('categoricalCrossentropy').fit(x, oneHot(y, 4))).rejects.toThrow(
      /^fit: y does not fit the loss: categoricalCrossentropy: labels have shape \[10,4\], predictions \[10,3\]/,
    );
    await expect(compiled('categoricalCrossentropy').fit(x, y)).rejects.toThrow(DTypeError);
    await expect(compiled().fit(x, oneHot(y, 3))).rejects.toThrow(/sparseCategoricalCrossentropy: labels must be int32 class indices.*if they are one-hot, use categoricalCrossentropy/);
    await expect(compiled().fit(x, tensor([0, 1, 2, 3, 0, 1, 2, 0, 1, 2], { dtype: 'int32' }))).rejects.toThrow(/label at row 3 is 3, outside \[0, 3\)/);
    await expect(compiled('categoricalCrossentropy').fit(x, oneHot(y, 3, 'float64'))).rejects.toThrow(
      new DTypeError("fit: y is float64 but the model computes in float32; cast y with cast(y, 'float32')"),
    );
    const model = model3();
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['sparseCategoricalAccuracy'] });
    await expect(model.fit(x, oneHot(y, 3))).rejects.toThrow(/fit: metric sparseCategoricalAccuracy: needs int32 class indices \[n\], got float32 \[10,3\]/);
  });

  it('inputs that do not fit the model', async () => {
    await expect(compiled().fit(rand([10, 5]), y)).rejects.toThrow(/^fit: x of shape \[10,5\] does not fit the model: Dense 'dense'/);
    await expect(compiled().fit(rand([10, 2], { dtype: 'float64' }), y)).rejects.toThrow(
      new DTypeError("fit: x is float64 but layer 'dense' computes in float32; cast x with cast(x, 'float32')"),
    );
    await expect(compiled().fit([[1, 2]] as never, y)).rejects.toThrow(/fit: x must be a Tensor, got an array/);
  });

  it('an empty dataset', async () => {
    await expect(compiled().fit(zeros([0, 2]), zeros([0], { dtype: 'int32' }))).rejects.toThrow(
      new ValueError('fit: x [0,2] holds no samples; pass at least one'),
    );
    expect(() => compiled().evaluate(zeros([0, 2]), zeros([0], { dtype: 'int32' }))).toThrow(/evaluate: x \[0,2\] holds no samples/);
  });

  it('bad options, each named', async () => {
    const model = compiled();
    await expect(model.fit(x, y, { batchSize: 0 })).rejects.toThrow(new ValueError('fit: batchSize must be an integer >= 1, got 0'));
    await expect(model.fit(x, y, { epochs: 1.5 })).rejects.toThrow(/fit: epochs must be an integer >= 1, got 1.5/);
    await expect(model.fit(x, y, { epoch: 3 } as never)).rejects.toThrow(/fit: unknown option "epoch"; expected one of epochs, batchSize/);
    await expect(model.fit(x, y, { shuffle: 'yes' } as never)).rejects.toThrow(/fit: shuffle must be true or false, got "yes"/);
    await expect(model.fit(x, y, { validationSplit: 1 })).rejects.toThrow(/fit: validationSplit must be a finite number >= 0 and < 1, got 1/);
    await expect(model.fit(x, y, { validationSplit: 0.2, validationData: [x, y] })).rejects.toThrow(/pass validationSplit or validationData, not both/);
    await expect(model.fit(x, y, { validationData: [x] as never })).rejects.toThrow(/fit: validationData must be \[x, y\]/);
    await expect(model.fit(x, y, { validationData: [x, y.slice(0, 3)] })).rejects.toThrow(
      /fit: validationData\[0\] has 10 samples \(shape \[10,2\]\) but validationData\[1\] has 3/,
    );
    await expect(model.fit(x.slice(0, 1), y.slice(0, 1), { validationSplit: 0.5 })).rejects.toThrow(
      /fit: validationSplit 0.5 of 1 samples leaves none to train on/,
    );
    await expect(model.fit(x, y, { validationSplit: 1e-17 })).rejects.toThrow(/leaves none to validate on; raise validationSplit/);
    await expect(model.fit(x, y, { verbose: 2 as never })).rejects.toThrow(/fit: verbose must be 0 or 1, got 2/);
    await expect(model.fit(x, y, { rng: {} as never })).rejects.toThrow(/fit: rng must be an Rng/);
    await expect(model.fit(x, y, { callbacks: [{ onEpochEnds: () => {} } as never] })).rejects.toThrow(
      /fit: callbacks\[0\]: unknown hook "onEpochEnds"; expected one of onTrainBegin/,
    );
    await expect(model.fit(x, y, { callbacks: [{ onBatchEnd: 3 } as never] })).rejects.toThrow(/fit: callbacks\[0\]: onBatchEnd must be a function/);
    await expect(model.fit(x, y, { callbacks: [null as never] })).rejects.toThrow(/fit: callbacks\[0\] must be an object of hooks/);
    expect(() => model.evaluate(x, y, { batchSize: 0 })).toThrow(/evaluate: batchSize must be an integer >= 1, got 0/);
    expect(() => model.predict(x, { batchSize: -1 })).toThrow(/predict: batchSize must be an integer >= 1, got -1/);
    expect(() => model.predict(x, { batch: 2 } as never)).toThrow(/predict: unknown option "batch"/);
  });

  it('a second fit while one is running', async () => {
    const model = compiled();
    const running = model.fit(x, y, { epochs: 3 });
    await expect(model.fit(x, y)).rejects.toThrow(/fit: model 'sequential' is already training; await the running fit first/);
    await running;
  });
});

describe('compile rejects what cannot work, saying what to change', () => {
  it('a loss that does not fit the last layer', () => {
    const logits = new Sequential([new Dense(2, 3)]);
    expect(() => logits.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' })).toThrow(
      new ValueError(
        "compile: loss 'categoricalCrossentropy' does not fit the last layer 'dense' (Dense, activation linear): it expects probabilities " +
          "from a softmax; end the model with a Softmax layer (or a Dense with activation 'softmax'), or use loss 'softmaxCrossentropy', which takes logits",
      ),
    );
    expect(() => logits.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' })).toThrow(/or use loss 'sparseSoftmaxCrossentropy'/);
    expect(() => logits.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' })).toThrow(/end the model with a Sigmoid layer/);
    expect(() => model3().compile({ optimizer: 'adam', loss: 'softmaxCrossentropy' })).toThrow(
      /loss 'softmaxCrossentropy' does not fit the last layer 'softmax' \(Softmax\): it takes logits and applies softmax itself.*use loss 'categoricalCrossentropy'/,
    );
    // These fit.
    logits.compile({ optimizer: 'adam', loss: 'softmaxCrossentropy' });
    logits.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    new Sequential([new Dense(2, 1), new Sigmoid()]).compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  });

  it('unknown or missing options, optimizers, losses and metrics', () => {
    const model = model3();
    expect(() => model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metric: ['accuracy'] } as never)).toThrow(
      /compile: unknown option "metric"; expected one of optimizer, loss, metrics/,
    );
    expect(() => model.compile({ loss: 'categoricalCrossentropy' } as never)).toThrow(/compile: optimizer is required/);
    expect(() => model.compile({ optimizer: 'adam' } as never)).toThrow(/compile: loss is required/);
    expect(() => model.compile({ optimizer: 'adagrad' as never, loss: 'categoricalCrossentropy' })).toThrow(
      /compile: optimizer must be an Optimizer or one of "sgd", "adam", "adamw", "rmsprop", got "adagrad"/,
    );
    expect(() => model.compile({ optimizer: 'adam', loss: 'crossentropy' as never })).toThrow(/compile: getLoss: unknown loss "crossentropy"/);
    expect(() => model.compile({ optimizer: 'adam', loss: 42 as never })).toThrow(/compile: loss must be a loss name or a Loss/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['acc' as never] })).toThrow(
      /compile: unknown metric "acc"; expected one of "accuracy"/,
    );
    expect(() => model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy', 'accuracy'] })).toThrow(
      /compile: metric "accuracy" is listed twice/,
    );
  });
});

describe('weights', () => {
  it('setWeights checks count, shapes and dtypes before writing anything', () => {
    const model = model3();
    const weights = model.getWeights();
    expect(weights.map((w) => w.shape)).toEqual([[2, 4], [4], [4, 3], [3]]);
    const before = snapshot(model.weights);
    const bad = [...weights.slice(0, 3), zeros([4])];
    expect(() => model.setWeights(bad)).toThrow(new ShapeError('setWeights: weights[3] (dense_1/bias) has shape [4], expected [3]'));
    expect(() => model.setWeights(weights.slice(1))).toThrow(/setWeights: model 'sequential' has 4 weight tensors, got 3/);
    expect(() => model.setWeights([...weights.slice(0, 3), zeros([3], { dtype: 'float64' })])).toThrow(DTypeError);
    expect(snapshot(model.weights)).toEqual(before);
    weights[0]!.data.fill(0.5);
    model.setWeights(weights);
    expect(Array.from(model.weights[0]!.data)).toEqual(new Array(8).fill(0.5));
  });
});
