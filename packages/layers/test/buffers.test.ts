import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Rng, getAllocator, randint, randn, setAllocator, type Allocator, type Tensor } from '@scratchnet/tensor';
import { compareGradients } from '@scratchnet/layers/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Dense,
  Dropout,
  LeakyReLU,
  LOSS_NAMES,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
  getLoss,
  type Layer,
} from '@scratchnet/layers';

beforeAll(() => {
  setBackend(new CpuBackend());
});

/** Counts tensor allocations (every creation goes through the installed allocator). */
function countAllocations<T>(fn: () => T): { result: T; allocations: number } {
  const base: Allocator = getAllocator();
  let allocations = 0;
  setAllocator({
    allocate(dtype, length) {
      allocations++;
      return base.allocate(dtype, length);
    },
  });
  try {
    return { result: fn(), allocations };
  } finally {
    setAllocator(base);
  }
}

afterEach(() => setAllocator(null));

const float64 = (shape: number[], seed: number) => randn(shape, { dtype: 'float64', rng: new Rng(seed) });

/** Two layers with equal weights and settings: one reused, one fresh for each reference computation. */
const makers: [string, (inputSize: number) => Layer][] = [
  ['Dense relu', (n) => new Dense(n, 4, { activation: 'relu', dtype: 'float64', rng: new Rng(1) })],
  ['Dense softmax', (n) => new Dense(n, 4, { activation: 'softmax', dtype: 'float64', rng: new Rng(1) })],
  ['Dense linear, no bias', (n) => new Dense(n, 4, { useBias: false, dtype: 'float64', rng: new Rng(1) })],
  ['ReLU', () => new ReLU()],
  ['LeakyReLU', () => new LeakyReLU()],
  ['Sigmoid', () => new Sigmoid()],
  ['Tanh', () => new Tanh()],
  ['Softmax', () => new Softmax()],
  ['Dropout', () => new Dropout({ rate: 0.5, seed: 3 })],
];

describe('training-mode buffers are reused across calls with the same batch size', () => {
  for (const [label, make] of makers) {
    it(label, () => {
      const layer = make(6);
      const x1 = float64([5, 6], 10);
      const x2 = float64([5, 6], 11);
      const y1 = layer.forward(x1, { training: true });
      const dy1 = float64(y1.shape as number[], 12);
      const dx1 = layer.backward(dy1);

      const y2 = layer.forward(x2, { training: true });
      const dy2 = float64(y2.shape as number[], 13);
      const dx2 = layer.backward(dy2);
      expect(y2).toBe(y1);
      expect(dx2).toBe(dx1);

      // The reused buffers hold exactly what a fresh layer computes for the second call. A
      // Dropout reference replays the mask stream: its second mask is the stream's second draw.
      const fresh = make(6);
      if (fresh instanceof Dropout) fresh.forward(x1, { training: true });
      const yRef = fresh.forward(x2, { training: true });
      const dxRef = fresh.backward(dy2);
      expect(Array.from(y2.data)).toEqual(Array.from(yRef.data));
      expect(Array.from(dx2.data)).toEqual(Array.from(dxRef.data));
      // Parameter gradients accumulated over both calls: first call's plus second call's.
      const first = make(6);
      first.forward(x1, { training: true });
      first.backward(dy1);
      layer.params().forEach((p, i) => {
        const expected = Array.from(first.params()[i]!.grad.data, (g, j) => g + fresh.params()[i]!.grad.data[j]!);
        expect(compareGradients(p.grad.data, expected).relError).toBeLessThan(1e-14);
      });
    });
  }

  it('a second batch size gets its own buffers, and returning to the first reuses the first', () => {
    const layer = new Dense(3, 2, { activation: 'relu', dtype: 'float64' });
    const big = layer.forward(float64([4, 3], 1), { training: true });
    const small = layer.forward(float64([1, 3], 2), { training: true });
    expect(small).not.toBe(big);
    expect(small.shape).toEqual([1, 2]);
    expect(layer.forward(float64([4, 3], 3), { training: true })).toBe(big);
    expect(layer.forward(float64([1, 3], 4), { training: true })).toBe(small);
  });

  it('inference outputs are fresh tensors that later calls never overwrite', () => {
    for (const [, make] of makers) {
      const layer = make(6);
      const x = float64([2, 6], 20);
      const p1 = layer.forward(x);
      const saved = Array.from(p1.data);
      const p2 = layer.forward(float64([2, 6], 21));
      layer.forward(float64([2, 6], 22), { training: true });
      if (!(layer instanceof Dropout)) expect(p2).not.toBe(p1); // Dropout at inference is the identity: p1 is x
      expect(Array.from(p1.data)).toEqual(saved);
    }
  });
});

describe('a warm training step allocates no tensor', () => {
  function network(): Layer[] {
    return [
      new Dense(7, 9, { activation: 'relu', rng: new Rng(1) }),
      new Dropout({ rate: 0.25, seed: 2 }),
      new Dense(9, 8, { activation: 'tanh', rng: new Rng(3) }),
      new LeakyReLU(),
      new Dense(8, 6, { useBias: false, rng: new Rng(4) }),
      new Sigmoid(),
      new Dense(6, 5, { activation: 'sigmoid', rng: new Rng(5) }),
      new Tanh(),
      new ReLU(),
      new Dense(5, 4, { rng: new Rng(6) }),
    ];
  }

  for (const name of LOSS_NAMES) {
    it(`through every layer kind, with ${name}`, () => {
      const layers = network();
      if (name === 'categoricalCrossentropy' || name === 'sparseCategoricalCrossentropy') layers.push(new Softmax());
      if (name === 'binaryCrossentropy') layers.push(new Sigmoid());
      const loss = getLoss(name);
      const sparse = name.startsWith('sparse');
      const batches = [5, 3].map((n, k) => ({
        x: randn([n, 7], { rng: new Rng(10 + k) }),
        y: sparse ? randint(0, 4, [n], { rng: new Rng(20 + k) }) : randn([n, 4], { rng: new Rng(30 + k) }),
        grad: randn([n, 4], { rng: new Rng(40 + k) }),
      }));
      for (const b of batches) {
        if (name !== 'meanSquaredError' && !sparse) {
          // one-hot-ish float labels for the cross-entropies
          b.y.data.fill(0);
          for (let i = 0; i < b.y.shape[0]!; i++) b.y.data[i * 4 + (i % 4)] = 1;
        }
      }
      const step = (b: (typeof batches)[number]): number => {
        for (const layer of layers) layer.zeroGrads();
        let out: Tensor = b.x;
        for (const layer of layers) out = layer.forward(out, { training: true });
        const { loss: value } = loss.compute(out, b.y, { gradOut: b.grad });
        let g: Tensor | null = b.grad;
        for (let i = layers.length - 1; i >= 0 && g; i--) g = layers[i]!.backward(g, { inputGrad: i > 0 });
        return value;
      };
      // Warm up both batch sizes (a smaller last batch is the usual epoch); the cold steps do
      // allocate, which shows the counter sees the buffers being made.
      for (const b of batches) expect(countAllocations(() => step(b)).allocations).toBeGreaterThan(0);
      const { result, allocations } = countAllocations(() => {
        const losses: number[] = [];
        for (let k = 0; k < 6; k++) losses.push(step(batches[k % 2]!));
        return losses;
      });
      expect(allocations).toBe(0);
      expect(result.every(Number.isFinite)).toBe(true);
    });
  }

});
