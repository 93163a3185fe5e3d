import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Dense, ReLU, Softmax } from '@scratchnet/layers';
import { Rng, randn, randint, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  RMSprop,
  SGD,
  Sequential,
  loadModel,
  loadModelAndOptimizer,
  memoryHandler,
  saveModel,
  type ModelManifest,
  type Optimizer,
} from '@scratchnet/model';

beforeAll(() => {
  setBackend(new CpuBackend());
});

function net(): Sequential {
  const rng = new Rng(21);
  return new Sequential([new Dense(5, 12, { rng, activation: 'relu' }), new Dense(12, 12, { rng }), new ReLU(), new Dense(12, 4, { rng }), new Softmax()]);
}

const x = randn([40, 5], { rng: new Rng(1) });
const y: Tensor = randint(0, 4, [40], { rng: new Rng(2) });
const fitOptions = (rng: Rng) => ({ epochs: 2, batchSize: 8, rng });

function weightBits(model: Sequential): number[][] {
  return model.weights.map((w) => Array.from(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength)));
}

const optimizers: [string, () => Optimizer][] = [
  ['Adam', () => new Adam({ learningRate: 0.01 })],
  ['SGD with momentum', () => new SGD({ learningRate: 0.05, momentum: 0.9 })],
  ['RMSprop', () => new RMSprop({ learningRate: 0.01 })],
];

describe('save -> load with optimizer state', () => {
  for (const [label, make] of optimizers) {
    it(`${label}: continuing fit after load gives bitwise the weights of never stopping`, async () => {
      // Never stopping: the same objects fit 2 epochs, then 2 more. (One fit of 4 epochs differs:
      // fit shuffles its index order in place, so each call's shuffles start from the identity.)
      const straight = net();
      straight.compile({ optimizer: make(), loss: 'sparseCategoricalCrossentropy' });
      const straightRng = new Rng(5);
      await straight.fit(x, y, fitOptions(straightRng));
      await straight.fit(x, y, fitOptions(straightRng));

      // Stopping after 2 epochs, saving, loading into a fresh process's worth of objects, resuming.
      const first = net();
      first.compile({ optimizer: make(), loss: 'sparseCategoricalCrossentropy' });
      const rng = new Rng(5);
      await first.fit(x, y, fitOptions(rng));
      const handler = memoryHandler();
      await saveModel(first, handler);
      const { model: resumed, optimizer } = await loadModelAndOptimizer(handler);
      expect(optimizer).toBeDefined();
      expect(optimizer!.className).toBe(first.optimizer!.className);
      expect(optimizer!.getConfig()).toEqual(first.optimizer!.getConfig());
      expect(optimizer!.iterations).toBe(first.optimizer!.iterations);
      resumed.compile({ optimizer: optimizer!, loss: 'sparseCategoricalCrossentropy' });
      await resumed.fit(x, y, fitOptions(rng));

      expect(weightBits(resumed)).toEqual(weightBits(straight));
    });
  }

  it('the optimizer state matters: resuming with a fresh Adam ends elsewhere', async () => {
    const straight = net();
    straight.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    const straightRng = new Rng(5);
    await straight.fit(x, y, fitOptions(straightRng));
    await straight.fit(x, y, fitOptions(straightRng));
    const first = net();
    first.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    const rng = new Rng(5);
    await first.fit(x, y, fitOptions(rng));
    const handler = memoryHandler();
    await saveModel(first, handler, { includeOptimizer: false });
    expect((handler.artifacts!.manifest as ModelManifest).optimizer).toBeUndefined();
    const { model, optimizer } = await loadModelAndOptimizer(handler);
    expect(optimizer).toBeUndefined();
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, fitOptions(rng));
    expect(weightBits(model)).not.toEqual(weightBits(straight));
  });

  it('the manifest records the optimizer: class, config, step, and m and v for every parameter', async () => {
    const model = net();
    model.compile({ optimizer: new Adam({ learningRate: 0.02, beta1: 0.8 }), loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: 10, rng: new Rng(0) });
    const handler = memoryHandler();
    await saveModel(model, handler);
    const manifest = handler.artifacts!.manifest as ModelManifest;
    expect(manifest.optimizer!.className).toBe('Adam');
    expect(manifest.optimizer!.config).toEqual(model.optimizer!.getConfig());
    expect(manifest.optimizer!.step).toBe(4);
    const keys = model.namedParams().map((p) => p.key);
    expect(manifest.optimizer!.slots.map((s) => `${s.param}:${s.slot}`)).toEqual(keys.flatMap((k) => [`${k}:m`, `${k}:v`]));
    // Weights first, then the slots, one packed file.
    const weightBytes = manifest.weights.reduce((n, w) => n + w.byteLength, 0);
    expect(manifest.optimizer!.slots[0]!.byteOffset).toBe(weightBytes);
    expect(manifest.weightsByteLength).toBe(3 * weightBytes);
    // A model saved with optimizer state still loads for inference alone.
    const plain = await loadModel(handler);
    expect(weightBits(plain)).toEqual(weightBits(model));
  });
});
