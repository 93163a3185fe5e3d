import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Rng } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, Sequential } from '@scratchnet/model';
import { spiralData, useCpu, xorData } from './helpers.js';

beforeAll(useCpu);

describe('toy problems', () => {
  it('XOR (2-8-2, tanh, softmax) reaches 100% accuracy', async () => {
    const rng = new Rng(0);
    const model = new Sequential([new Dense(2, 8, { activation: 'tanh', rng }), new Dense(8, 2, { activation: 'softmax', rng })]);
    model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const { x, y } = xorData();
    const history = await model.fit(x, y, { epochs: 200, batchSize: 4, rng });
    expect(history.history.loss!.at(-1)!).toBeLessThan(0.01);
    expect(model.evaluate(x, y).metrics.accuracy).toBe(1);
  });

  it('a 3-class spiral (300 points) reaches >= 99% accuracy', async () => {
    const rng = new Rng(1);
    const { x, y } = spiralData(rng);
    const model = new Sequential([
      new Dense(2, 64, { rng }),
      new ReLU(),
      new Dense(64, 64, { rng }),
      new ReLU(),
      new Dense(64, 3, { rng }),
      new Softmax(),
    ]);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 300, batchSize: 32, rng });
    const { accuracy } = model.evaluate(x, y).metrics;
    // The generator puts each arm's first point (r = 0) at the origin: three identical inputs with
    // three labels, so 298/300 is the most any model can get right.
    expect(accuracy).toBeGreaterThanOrEqual(0.99);
    expect(history.history.accuracy!.at(-1)).toBeGreaterThanOrEqual(0.99);
  });
});
