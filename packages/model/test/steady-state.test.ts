import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, GlobalAveragePooling2D, MaxPooling2D, ReLU, Reshape, Softmax } from '@scratchnet/layers';
import { Rng, plainAllocator, rand, randint, setAllocator, type Allocator, type Tensor } from '@scratchnet/tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Adam, RMSprop, SGD, Sequential, type Optimizer } from '@scratchnet/model';
import { oneHot, useCpu } from './helpers.js';

beforeAll(useCpu);
afterEach(() => setAllocator(null));

/** Counts every tensor storage allocation (what `zeros`, `tensor` and the ops' outputs go through). */
function countingAllocator(): Allocator & { count: number } {
  const counter = {
    count: 0,
    allocate<D extends Parameters<Allocator['allocate']>[0]>(dtype: D, length: number) {
      counter.count++;
      return plainAllocator.allocate(dtype, length);
    },
  };
  return counter;
}

function mlp(rng: Rng, lastDense: 'softmax' | 'layer' | 'linear'): Sequential {
  const model = new Sequential([new Dense(20, 32, { rng }), new ReLU(), new Dropout({ rate: 0.2, rng }), new Dense(32, 16, { activation: 'tanh', rng })]);
  if (lastDense === 'softmax') model.add(new Dense(16, 4, { activation: 'softmax', rng }));
  else model.add(new Dense(16, 4, { rng }));
  if (lastDense === 'layer') model.add(new Softmax());
  return model;
}

/**
 * Allocations between the end of batch `from` and the end of batch `to` of one fit, counted by
 * a wrapping allocator installed after the first batches (which allocate every buffer).
 */
async function allocationsBetween(model: Sequential, x: Tensor, y: Tensor, batchSize: number, epochs: number, from: number, to: number): Promise<number> {
  const counter = countingAllocator();
  let step = 0;
  let start = -1;
  let end = -1;
  await model.fit(x, y, {
    epochs,
    batchSize,
    rng: new Rng(3),
    callbacks: [
      {
        onBatchEnd: () => {
          step++;
          if (step === from) {
            setAllocator(counter);
            start = counter.count;
          }
          if (step === to) end = counter.count;
        },
      },
    ],
  });
  expect(end).toBeGreaterThanOrEqual(0);
  return end - start;
}

describe('steady state', () => {
  const cases: Array<[string, 'softmax' | 'layer' | 'linear', string, () => Optimizer]> = [
    ['Softmax layer, sparse labels, Adam', 'layer', 'sparseCategoricalCrossentropy', () => new Adam()],
    ['Dense softmax, one-hot labels, SGD momentum', 'softmax', 'categoricalCrossentropy', () => new SGD({ momentum: 0.9, weightDecay: 1e-4 })],
    ['logits, softmaxCrossentropy, RMSprop', 'linear', 'softmaxCrossentropy', () => new RMSprop({ momentum: 0.5 })],
    ['linear outputs, meanSquaredError, SGD', 'linear', 'meanSquaredError', () => new SGD()],
  ];
  for (const [name, last, loss, optimizer] of cases) {
    it(`${name}: 200 training steps after warm-up allocate no tensor`, async () => {
      const rng = new Rng(0);
      const model = mlp(rng, last);
      model.compile({ optimizer: optimizer(), loss: loss as never, metrics: ['accuracy'] });
      const x = rand([100, 20], { rng });
      const labels = randint(0, 4, [100], { rng });
      const y = loss.startsWith('sparse') ? labels : oneHot(labels, 4);
      // 100 samples in batches of 16: six full batches and a last one of 4, so both sizes recur.
      expect(await allocationsBetween(model, x, y, 16, 40, 14, 214)).toBe(0);
    });
  }

  it('a CNN of every image layer (Conv2D, BatchNormalization, both poolings, GlobalAveragePooling2D, Reshape): 40 steps after warm-up allocate no tensor', async () => {
    const rng = new Rng(1);
    const model = new Sequential([
      new Reshape({ targetShape: [8, 8, 1] }),
      new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', rng }),
      new BatchNormalization(),
      new MaxPooling2D(),
      new Conv2D({ filters: 6, kernelSize: 2, useBias: false, rng }),
      new BatchNormalization({ center: false }),
      new ReLU(),
      new AveragePooling2D({ poolSize: 1 }),
      new Conv2D({ filters: 4, kernelSize: 2, padding: 'same', rng }),
      new GlobalAveragePooling2D(),
      new Dropout({ rate: 0.1, rng }),
      new Dense({ units: 3, rng }),
      new Softmax(),
    ]);
    model.compile({ optimizer: new Adam(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = rand([20, 64], { rng });
    const y = randint(0, 3, [20], { rng });
    // Batches of 8, 8 and 4.
    expect(await allocationsBetween(model, x, y, 8, 20, 7, 47)).toBe(0);
  });

  it('the counter sees allocations when there are some (a model that allocates every step)', async () => {
    const rng = new Rng(0);
    const model = mlp(rng, 'layer');
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = rand([64, 20], { rng });
    const y = randint(0, 4, [64], { rng });
    const counter = countingAllocator();
    let step = 0;
    let seen = -1;
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 16,
      callbacks: [
        {
          onBatchEnd: () => {
            step++;
            if (step === 2) setAllocator(counter);
            // An inference forward allocates its outputs: the counter must notice.
            if (step > 2) model.predict(x.slice(0, 4));
            if (step === 6) seen = counter.count;
          },
        },
      ],
    });
    expect(seen).toBeGreaterThan(0);
  });

  it('heap use stays flat over 2,000 steps after 2,000 warm-up steps (after a forced GC)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const rng = new Rng(0);
    const model = mlp(rng, 'layer');
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = rand([160, 20], { rng });
    const y = randint(0, 4, [160], { rng });
    const heap: number[] = [];
    let step = 0;
    await model.fit(x, y, {
      epochs: 420,
      batchSize: 16,
      callbacks: [
        {
          onBatchEnd: () => {
            step++;
            // The first ~2,000 steps grow the heap by a few hundred KB as V8 optimizes; after that it is flat.
            if (step === 2000 || step === 4000) {
              gc();
              heap.push(process.memoryUsage().heapUsed);
            }
          },
        },
      ],
    });
    const growth = heap[1]! - heap[0]!;
    console.log(`heap growth over 2,000 steps: ${growth} bytes`);
    // One leaked batch-sized buffer per step would be >= 2,000 x 16 x 16 x 4 bytes = 2 MB.
    expect(growth).toBeLessThan(256 * 1024);
  });
});
