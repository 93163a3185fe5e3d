import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { WasmBackend } from '@scratchnet/backend-wasm';
import { WorkerBackend } from '@scratchnet/backend-worker';
import { loadModel, saveModel } from '@scratchnet/model/node';
import { Rng, tensor, zeros } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { runPredict } from '../src/commands/predict.js';
import { runTrain, TRAIN_DEFAULTS, type TrainOptions } from '../src/commands/train.js';
import { shiftImages } from '../src/train/augment.js';
import { cosineDecay } from '../src/train/schedule.js';

// 500 training digits (50 per class), 200 test digits (20 per class), the CNN's recipe but 2 epochs.
const data = { trainPerClass: 50, testPerClass: 20 };
const small = { ...TRAIN_DEFAULTS.cnn, model: 'cnn', data, epochs: 2, hidden: [] } as const;
const train = (options: Partial<TrainOptions> & Pick<TrainOptions, 'backend'>) => runTrain({ seed: 1, ...small, ...options });

function weightBytes(result: Awaited<ReturnType<typeof runTrain>>): Buffer {
  return Buffer.concat(result.model.weights.map((w) => Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength)));
}

describe('shiftImages', () => {
  it('moves each image by its own (dy, dx), drawn dy first from -max … max, filling with zeros', () => {
    // Two 3×3 images 1…9 and 11…19.
    const source = tensor(Array.from({ length: 18 }, (_, i) => (i < 9 ? i + 1 : i + 2)), { shape: [2, 9] });
    const target = zeros([2, 9]);
    const rng = new Rng(4);
    const expected = new Rng(4);
    const shifts = [0, 1].map(() => [Math.floor(expected.random() * 3) - 1, Math.floor(expected.random() * 3) - 1] as const);
    shiftImages(source, target, 3, 1, rng);
    shifts.forEach(([dy, dx], i) => {
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          const sr = r - dy;
          const sc = c - dx;
          const want = sr >= 0 && sr < 3 && sc >= 0 && sc < 3 ? source.data[i * 9 + sr * 3 + sc]! : 0;
          expect(target.data[i * 9 + r * 3 + c], `image ${i} (dy ${dy}, dx ${dx}) at ${r},${c}`).toBe(want);
        }
      }
    });
    // The generator moved on by exactly two draws per image.
    expect(rng.random()).toBe(expected.random());
  });

  it('a shift of (1, -1) by hand, and a maximum of 0 copies', () => {
    // With maxShift 1, draws u give floor(3u) - 1; find a seed whose first draws give dy 1, dx -1.
    let seed = 0;
    for (; ; seed++) {
      const r = new Rng(seed);
      if (Math.floor(r.random() * 3) === 2 && Math.floor(r.random() * 3) === 0) break;
    }
    const source = tensor([[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    const target = zeros([1, 9]);
    shiftImages(source, target, 3, 1, new Rng(seed));
    // Down one row, left one column.
    expect(Array.from(target.data)).toEqual([0, 0, 0, 2, 3, 0, 5, 6, 0]);
    shiftImages(source, target, 3, 0, new Rng(seed));
    expect(Array.from(target.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('cosineDecay', () => {
  it('starts at the peak, halves midway and ends near 0', () => {
    expect(cosineDecay(0.003, 0, 10)).toBe(0.003);
    expect(cosineDecay(0.003, 5, 10)).toBeCloseTo(0.0015, 15);
    expect(cosineDecay(0.003, 9, 10)).toBeCloseTo((0.003 * (1 + Math.cos((Math.PI * 9) / 10))) / 2, 15);
    expect(cosineDecay(0.003, 9, 10)).toBeLessThan(0.0001);
  });
});

describe('runTrain --model cnn on a 500-digit subset', () => {
  it('learns and reports the CNN, its recipe and its parameters', async () => {
    const result = await train({ backend: new CpuBackend() });
    // Far above chance (10 %), though after 16 steps BatchNormalization's moving statistics
    // (momentum 0.99, as Keras) have moved only 15 % of the way from 0 and 1 to the data's.
    expect(result.testAccuracy).toBeGreaterThan(0.4);
    const { loss } = result.history.history;
    expect(loss).toHaveLength(2);
    expect(loss![1]).toBeLessThan(loss![0]!);
    expect(result.history.history.val_accuracy![1]).toBeCloseTo(result.testAccuracy, 12);
    const text = result.lines.join('\n');
    expect(text).toContain('500 for training, 200 for testing');
    expect(text).toContain('model: CNN conv 5×5×12 → BN → ReLU → pool 2 → conv 5×5×24 → BN → ReLU → pool 2 → dense 10, softmax, 11,494 parameters');
    expect(text).toContain('training: Adam (learning rate 0.003 with cosine decay), batch 64, 2 epochs, digits shifted by up to 2 pixels, seed 1');
    expect(result.model.layers[0]!.inputShape).toEqual([null, 28, 28, 1]);
  });

  it('shifts and schedule are seeded: the same weights twice; and bitwise the same on the worker backend', async () => {
    const a = await train({ backend: new CpuBackend() });
    const b = await train({ backend: new CpuBackend() });
    expect(weightBytes(a).equals(weightBytes(b))).toBe(true);
    const unshifted = await train({ backend: new CpuBackend(), shift: 0 });
    expect(weightBytes(unshifted).equals(weightBytes(a))).toBe(false);
    const backend = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
    try {
      const worker = await train({ backend });
      expect(weightBytes(worker).equals(weightBytes(a))).toBe(true);
      expect(worker.lines).toEqual(a.lines);
    } finally {
      backend.dispose();
    }
  });

  it("learns on the wasm backend through its own convolution, pooling and BatchNormalization kernels; bitwise the same on 1 thread and on 2 (every kernel split)", async () => {
    const FUSED = ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'maxPool', 'maxPoolBackward', 'moments', 'batchNormalization', 'batchNormalizationBackward'] as const;
    // The wasm backend has these kernels itself (ops compose them from the core only for a backend without them).
    for (const kernel of FUSED) expect(WasmBackend.prototype[kernel], kernel).not.toBe(CpuBackend.prototype[kernel]);
    const single = new WasmBackend();
    const split = new WasmBackend({ threads: 2, inlineThreshold: 0 });
    const calls = new Map<string, number>();
    for (const kernel of FUSED) {
      const own = single[kernel].bind(single) as (...args: unknown[]) => void;
      (single as unknown as Record<string, unknown>)[kernel] = (...args: unknown[]) => {
        calls.set(kernel, (calls.get(kernel) ?? 0) + 1);
        own(...args);
      };
    }
    try {
      const one = await train({ backend: single });
      for (const kernel of FUSED) expect(calls.get(kernel), kernel).toBeGreaterThan(0);
      expect(one.testAccuracy).toBeGreaterThan(0.4);
      const two = await train({ backend: split });
      expect(weightBytes(two).equals(weightBytes(one))).toBe(true);
      expect(two.lines).toEqual(one.lines);
    } finally {
      single.dispose();
      split.dispose();
    }
  });

  it('saves; predict loads the CNN (its input is images) and reports the same test accuracy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scratchnet-demo-cnn-'));
    try {
      const target = join(dir, 'cnn');
      const trained = await train({ backend: new CpuBackend(), epochs: 1, save: async (model) => (await saveModel(model, target), target) });
      const predicted = await runPredict({ backend: new CpuBackend(), source: target, load: () => loadModel(target), data });
      expect(predicted.testAccuracy).toBe(trained.testAccuracy);
      expect(predicted.lines[0]).toBe(`model: ${target} (11,494 parameters)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
