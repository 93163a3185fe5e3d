import { setBackend, withBackend, type Backend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WorkerBackend } from '@scratchnet/backend-worker';
import {
  AveragePooling2D,
  BatchNormalization,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GlobalAveragePooling2D,
  MaxPooling2D,
  ReLU,
  Reshape,
  Softmax,
} from '@scratchnet/layers';
import { Adam, Sequential } from '@scratchnet/model';
import { Rng, seed, zeros, type Tensor } from '@scratchnet/tensor';
import { afterAll, describe, expect, it } from 'vitest';

const SAMPLES = 96;
const BATCH = 32;

/**
 * Every image layer, with padding, strides and dilation off their defaults, in one stack: [n, 196] → Reshape 14×14×1 → conv 3×3×6 same (relu) → BN → max pool 2 →
 * conv 2×3×8 strides [2, 1] valid → BN (no β) → ReLU → average pool 2 same → conv 2×2×8 dilation
 * 2 same (tanh) → GlobalAveragePooling2D → Flatten → Dropout → Dense 4 → Softmax; Adam.
 */
function model(): Sequential {
  return new Sequential([
    new Reshape({ targetShape: [14, 14, 1] }),
    new Conv2D({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heNormal' }),
    new BatchNormalization({ momentum: 0.9 }),
    new MaxPooling2D(),
    new Conv2D({ filters: 8, kernelSize: [2, 3], strides: [2, 1], useBias: false }),
    new BatchNormalization({ center: false }),
    new ReLU(),
    new AveragePooling2D({ poolSize: 2, padding: 'same' }),
    new Conv2D({ filters: 8, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'tanh' }),
    new GlobalAveragePooling2D(),
    new Flatten(), // [n, 8] already: a view, but through the layer's forward and backward
    new Dropout({ rate: 0.2 }),
    new Dense({ units: 4 }),
    new Softmax(),
  ]);
}

/** Images of noise whose class is the quadrant that is brightest on average. */
function data(): { x: Tensor; y: Tensor } {
  const rng = new Rng(5);
  const x = zeros([SAMPLES, 196]);
  const y = zeros([SAMPLES], { dtype: 'int32' });
  for (let i = 0; i < SAMPLES; i++) {
    const label = i % 4;
    y.data[i] = label;
    for (let p = 0; p < 196; p++) {
      const quadrant = (Math.floor(p / 14) < 7 ? 0 : 2) + (p % 14 < 7 ? 0 : 1);
      x.data[i * 196 + p] = rng.random() + (quadrant === label ? 1 : 0);
    }
  }
  return { x, y };
}

/** Four epochs of three batches on `backend`, seeded: the losses and every weight's bytes. */
async function train(backend: Backend): Promise<{ losses: number[]; weights: Record<string, Uint8Array> }> {
  return withBackend(backend, async () => {
    seed(11); // initializers, the shuffles and the dropout masks
    const { x, y } = data();
    const m = model();
    m.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await m.fit(x, y, { epochs: 4, batchSize: BATCH });
    const weights: Record<string, Uint8Array> = {};
    for (const { key, param } of m.namedWeights()) {
      const d = param.value.data;
      weights[key] = new Uint8Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength));
    }
    return { losses: history.history.loss!, weights };
  });
}

describe('a whole CNN training run (every image layer, BatchNormalization, Dropout, Adam)', () => {
  const cpu = new CpuBackend();
  setBackend(cpu);
  const expected = train(cpu);
  const workers: WorkerBackend[] = [];
  afterAll(() => workers.forEach((w) => w.dispose()));

  it('learns on the cpu backend (the comparison is not between two untrained nets)', async () => {
    const { losses, weights } = await expected;
    expect(losses[3]!).toBeLessThan(0.75 * losses[0]!);
    expect(Object.keys(weights)).toContain('batch_normalization_1/moving_variance');
  });

  for (const [label, options] of [
    ['2 threads, every kernel split', { threads: 2, inlineThreshold: 0 }],
    ['3 threads, every kernel split', { threads: 3, inlineThreshold: 0 }],
    ['2 threads, default thresholds', { threads: 2 }],
  ] as const) {
    it(`ends with the cpu backend's weights and moving statistics, bit for bit, on the worker backend (${label})`, async () => {
      const backend = new WorkerBackend(options);
      workers.push(backend);
      const want = await expected;
      const got = await train(backend);
      expect(got.losses).toEqual(want.losses);
      expect(Object.keys(got.weights)).toEqual(Object.keys(want.weights));
      for (const [key, bytes] of Object.entries(got.weights)) {
        expect(Buffer.from(bytes).equals(Buffer.from(want.weights[key]!)), key).toBe(true);
      }
    });
  }
});
