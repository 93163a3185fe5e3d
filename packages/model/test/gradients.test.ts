import { Dense, Dropout, ReLU, Softmax } from '@scratchnet/layers';
import { assertGradient } from '@scratchnet/layers/testing';
import { DTypeError, Rng, ShapeError, randint, randn, zeros, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, Sequential } from '@scratchnet/model';
import { oneHot, useCpu } from './helpers.js';

beforeAll(useCpu);

function bits(weights: readonly Tensor[]): number[][] {
  return weights.map((w) => Array.from(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength)));
}

function net(): Sequential {
  return new Sequential([
    new Dense(6, 16, { rng: new Rng(1), activation: 'relu' }),
    new Dropout({ rate: 0.25, seed: 2 }),
    new Dense(16, 8, { rng: new Rng(3) }),
    new ReLU(),
    new Dense(8, 4, { rng: new Rng(4) }),
    new Softmax(),
  ]);
}

const x = randn([20, 6], { rng: new Rng(5) });
const y = randint(0, 4, [20], { rng: new Rng(6) });

describe('computeGradients + applyGradients: a custom training loop', () => {
  it('reproduces fit bit for bit over the same batches (Adam, dropout, fused softmax cross-entropy)', async () => {
    const fitted = net();
    fitted.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    const batchLosses: number[] = [];
    await fitted.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, callbacks: [{ onBatchEnd: (_b, logs) => void batchLosses.push(logs.loss!) }] });

    const looped = net();
    looped.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    const loopLosses: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let start = 0; start < 20; start += 8) {
        const end = Math.min(20, start + 8);
        const { loss, grads } = looped.computeGradients(x.slice(start, end), y.slice(start, end));
        loopLosses.push(loss);
        looped.applyGradients(grads);
      }
    }
    expect(loopLosses).toEqual(batchLosses);
    expect(bits(looped.weights)).toEqual(bits(fitted.weights));
    expect(looped.optimizer!.iterations).toBe(6);
  });

  it('returns fresh tensors keyed like namedParams, and changes no weight', () => {
    const model = net();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const before = bits(model.weights);
    const { grads } = model.computeGradients(x, y);
    expect(Object.keys(grads)).toEqual(model.namedParams().map((p) => p.key));
    for (const { key, param } of model.namedParams()) {
      expect(grads[key]!.shape).toEqual(param.value.shape);
      expect(grads[key]).not.toBe(param.grad);
      expect(Array.from(grads[key]!.data)).toEqual(Array.from(param.grad.data));
    }
    expect(bits(model.weights)).toEqual(before);
    expect(model.optimizer!.iterations).toBe(0);
  });

  it('agree with central differences of the loss (float64; fused softmax and mean squared error)', () => {
    const xs = randn([5, 3], { dtype: 'float64', rng: new Rng(7) });
    const labels = randint(0, 3, [5], { rng: new Rng(8) });
    const cases: [string, Sequential, Tensor][] = [
      [
        'categoricalCrossentropy',
        new Sequential([new Dense(3, 4, { dtype: 'float64', activation: 'tanh', rng: new Rng(9) }), new Dense(4, 3, { dtype: 'float64', activation: 'softmax', rng: new Rng(10) })]),
        oneHot(labels, 3, 'float64'),
      ],
      [
        'meanSquaredError',
        new Sequential([new Dense(3, 4, { dtype: 'float64', activation: 'sigmoid', rng: new Rng(11) }), new Dense(4, 2, { dtype: 'float64', rng: new Rng(12) })]),
        randn([5, 2], { dtype: 'float64', rng: new Rng(13) }),
      ],
    ];
    for (const [loss, model, targets] of cases) {
      model.compile({ optimizer: 'sgd', loss: loss as 'meanSquaredError' });
      const { grads } = model.computeGradients(xs, targets);
      for (const { key, param } of model.namedParams()) {
        const c = assertGradient(`${loss} ${key}`, param.value, grads[key]!, () => model.computeGradients(xs, targets).loss);
        expect(c.scale, key).toBeGreaterThan(0);
      }
    }
  });

  it('applyGradients with a subset steps only those parameters', () => {
    const model = net();
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const { grads } = model.computeGradients(x, y);
    const before = bits(model.weights);
    model.applyGradients({ 'dense_2/kernel': grads['dense_2/kernel']! });
    const after = bits(model.weights);
    const keys = model.namedParams().map((p) => p.key);
    keys.forEach((key, i) => (key === 'dense_2/kernel' ? expect(after[i]).not.toEqual(before[i]) : expect(after[i]).toEqual(before[i])));
  });

  it('bad gradients are refused, naming the key, before anything changes', () => {
    const model = net();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const { grads } = model.computeGradients(x, y);
    const before = bits(model.weights);
    expect(() => model.applyGradients({ ...grads, 'dense_9/kernel': zeros([2]) })).toThrow(
      /^applyGradients: "dense_9\/kernel" is not a parameter of model 'sequential'; its keys are dense\/kernel, dense\/bias/,
    );
    expect(() => model.applyGradients({ ...grads, 'dense/bias': zeros([15]) })).toThrow(
      new ShapeError('applyGradients: grads["dense/bias"] has shape [15], the parameter [16]'),
    );
    expect(() => model.applyGradients({ ...grads, 'dense/bias': zeros([16], { dtype: 'float64' }) })).toThrow(DTypeError);
    expect(() => model.applyGradients({ ...grads, 'dense/bias': [1, 2] as never })).toThrow(/grads\["dense\/bias"\] must be a Tensor, got an array/);
    expect(() => model.applyGradients(null as never)).toThrow(/grads must be an object of tensors/);
    expect(bits(model.weights)).toEqual(before);
    expect(model.optimizer!.iterations).toBe(0);
    expect(() => net().computeGradients(x, y)).toThrow(/computeGradients: model 'sequential' is not compiled/);
    expect(() => net().applyGradients(grads)).toThrow(/applyGradients: model 'sequential' is not compiled/);
    expect(() => model.computeGradients(x, y.slice(0, 3))).toThrow(/^computeGradients: x has 20 samples \(shape \[20,6\]\) but y has 3/);
  });
});
