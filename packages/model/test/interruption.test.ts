import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Rng, rand, randint, tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, NonFiniteLossError, SGD, Sequential, type CallbackHooks } from '@scratchnet/model';
import { snapshot, useCpu } from './helpers.js';

beforeAll(useCpu);

function classifier(seedValue: number): Sequential {
  const rng = new Rng(seedValue);
  const model = new Sequential([new Dense(2, 8, { rng }), new ReLU(), new Dense(8, 3, { rng }), new Softmax()]);
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

const allFinite = (model: Sequential): boolean => model.weights.every((w) => Array.from(w.data).every(Number.isFinite));

describe('NaN guard', () => {
  it('a NaN loss stops fit before that batch’s update, naming epoch, batch and the last finite loss', async () => {
    const rng = new Rng(0);
    const x = rand([12, 2], { rng });
    x.data[7 * 2] = Number.NaN; // sample 7: batch 4 of 6 (batches of 2, in order)
    const y = randint(0, 3, [12], { rng });
    const model = classifier(1);
    let lastLoss = Number.NaN;
    let weightsAfterLastStep: number[][] = [];
    const record: CallbackHooks = {
      onBatchEnd: (_b, logs) => {
        lastLoss = logs.loss!;
        weightsAfterLastStep = snapshot(model.weights);
      },
    };
    const error = await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, callbacks: [record] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const e = error as NonFiniteLossError;
    expect([e.epoch, e.batch, e.lastFiniteLoss]).toEqual([0, 3, lastLoss]);
    expect(Number.isNaN(e.loss)).toBe(true);
    expect(e.message).toBe(
      `fit: the loss became NaN at epoch 1/3, batch 4/6; the last finite loss was ${lastLoss}. The update of that batch was not applied, ` +
        'so the weights are those of the last finite step. Lower the learning rate, or check x and y for NaN or infinite values.',
    );
    expect(snapshot(model.weights)).toEqual(weightsAfterLastStep);
    expect(allFinite(model)).toBe(true);
    expect(model.optimizer!.iterations).toBe(3);
  });

  it('an infinite loss in the very first batch leaves the initial weights', async () => {
    const rng = new Rng(2);
    const model = new Sequential([new Dense(2, 1, { rng, dtype: 'float64' })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const initial = snapshot(model.weights);
    const x = rand([4, 2], { rng, dtype: 'float64' });
    const y = tensor([[1e300], [0], [0], [0]], { dtype: 'float64' });
    await expect(model.fit(x, y, { epochs: 1, batchSize: 4 })).rejects.toThrow(
      /^fit: the loss became Infinity at epoch 1\/1, batch 1\/1; no batch before it had a finite loss\./,
    );
    expect(snapshot(model.weights)).toEqual(initial);
  });
});

describe('an exception in a callback', () => {
  const data = () => {
    const rng = new Rng(3);
    return { x: rand([20, 2], { rng }), y: randint(0, 3, [20], { rng }) };
  };

  /** The weights of a model trained from the same start for exactly `steps` steps. */
  async function reference(steps: number): Promise<number[][]> {
    const { x, y } = data();
    const model = classifier(4);
    let done = 0;
    await model.fit(x, y, { epochs: 10, batchSize: 8, rng: new Rng(5), callbacks: [{ onBatchEnd: () => void (++done === steps && (model.stopTraining = true)) }] });
    expect(model.optimizer!.iterations).toBe(steps);
    return snapshot(model.weights);
  }

  // 20 samples in batches of 8: three steps per epoch (8, 8, 4).
  const failAt = (hook: 'onBatchEnd' | 'onBatchBegin', epoch: number, batch: number) => (fail: () => never): CallbackHooks => {
    let current = -1;
    return { onEpochBegin: (e) => void (current = e), [hook]: (b: number) => void (current === epoch && b === batch ? fail() : 0) };
  };
  const cases: Array<[string, (fail: () => never) => CallbackHooks, number]> = [
    ['onBatchEnd of epoch 1, batch 1', failAt('onBatchEnd', 1, 1), 5],
    ['onBatchBegin of epoch 1, batch 2', failAt('onBatchBegin', 1, 2), 5],
    ['onEpochEnd of epoch 0', (fail) => ({ onEpochEnd: () => fail() }), 3],
  ];
  for (const [where, hooks, steps] of cases) {
    it(`${where}: fit rejects with it and the weights are those after step ${steps}`, async () => {
      const { x, y } = data();
      const model = classifier(4);
      const boom = new Error('callback failed');
      await expect(
        model.fit(x, y, { epochs: 10, batchSize: 8, rng: new Rng(5), callbacks: [hooks(() => { throw boom; })] }),
      ).rejects.toBe(boom);
      expect(model.optimizer!.iterations).toBe(steps);
      expect(snapshot(model.weights)).toEqual(await reference(steps));
      // The model is not left "training": it can fit again.
      await expect(model.fit(x, y, { epochs: 1, batchSize: 8 })).resolves.toBeDefined();
    });
  }
});
