import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Adam } from '@scratchnet/model';
import { seed, tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { mnistAsset } from '../build/mnist-asset.ts';
import { decodeDigits } from '../src/data/mnist-digits.ts';
import { MODEL_KINDS } from '../src/models.ts';

// The networks of the Train panel, in Node: each takes digits in its input shape and learns.
beforeAll(() => {
  setBackend(new CpuBackend());
});

describe('MODEL_KINDS', () => {
  const { train, test } = decodeDigits(mnistAsset().slice().buffer);
  const xs = (pixels: Float32Array, count: number, shape: readonly number[]) => tensor(pixels.subarray(0, count * 784), { shape: [count, ...shape] });

  for (const [id, kind] of Object.entries(MODEL_KINDS)) {
    it(`${id}: takes [n, ${kind.inputShape.join(', ')}] digits and gives ten probabilities each`, () => {
      seed(1);
      const model = kind.build();
      const p = model.predict(xs(test.pixels, 3, kind.inputShape));
      expect(p.shape).toEqual([3, 10]);
      for (let r = 0; r < 3; r++) expect(Array.from(p.data.subarray(r * 10, r * 10 + 10)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
  }

  /** Every `step`-th digit (the sets are ordered by class, so a prefix would hold one or two classes). */
  const every = (set: typeof train, step: number) => {
    const count = Math.floor(set.count / step);
    const pixels = new Float32Array(count * 784);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      pixels.set(set.pixels.subarray(i * step * 784, (i * step + 1) * 784), i * 784);
      labels[i] = set.labels[i * step]!;
    }
    return { x: tensor(pixels, { shape: [count, ...MODEL_KINDS.cnn.inputShape] }), y: tensor(labels), labels };
  };

  it('cnn: the demo CNN (11,494 parameters, 72 of them BatchNormalization moving statistics) learns the digits', async () => {
    seed(2);
    const model = MODEL_KINDS.cnn.build();
    model.build([null, 28, 28, 1]);
    expect(model.countParams()).toBe(11_494);
    model.compile({ optimizer: new Adam({ learningRate: 0.003 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const fitSet = every(train, 4);
    const testSet = every(test, 3);
    // Both subsets hold every class.
    expect(new Set(fitSet.labels).size).toBe(10);
    expect(new Set(testSet.labels).size).toBe(10);
    await model.fit(fitSet.x, fitSet.y, { epochs: 3, batchSize: 64 });
    const accuracy = model.evaluate(testSet.x, testSet.y).metrics.accuracy!;
    // Three epochs of 2,000 digits: far above chance (0.1); 8,000 digits for 10 epochs reach 0.98 (apps/demo).
    expect(accuracy).toBeGreaterThan(0.9);
  });
});
