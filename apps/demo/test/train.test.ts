import { CpuBackend } from '@scratchnet/backend-cpu';
import { WasmBackend } from '@scratchnet/backend-wasm';
import { WorkerBackend } from '@scratchnet/backend-worker';
import { describe, expect, it } from 'vitest';
import { runTrain, type TrainOptions } from '../src/commands/train.js';
import type { BatchProgress, EpochProgress } from '../src/progress.js';

// 500 training digits (50 per class) and 200 held-out test digits (20 per class, from index 800).
const small = { data: { trainPerClass: 50, testPerClass: 20 }, epochs: 2, batchSize: 32, learningRate: 1e-3, hidden: [128, 128] } as const;

const train = (options: Partial<TrainOptions> & Pick<TrainOptions, 'backend'>) => runTrain({ seed: 42, ...small, ...options });

/** Every weight tensor's bytes, concatenated: equal buffers mean bitwise-equal weights. */
function weightBytes(result: Awaited<ReturnType<typeof runTrain>>): Buffer {
  return Buffer.concat(result.model.weights.map((w) => Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength)));
}

describe('runTrain on a 500-digit subset', () => {
  it('learns: test accuracy far above chance (10%), a falling loss, and a consistent report', async () => {
    const result = await train({ backend: new CpuBackend() });
    expect(result.testAccuracy).toBeGreaterThan(0.6);
    const { loss, accuracy, val_loss, val_accuracy } = result.history.history;
    expect(loss).toHaveLength(2);
    expect(loss![1]).toBeLessThan(loss![0]!);
    expect(accuracy![1]).toBeGreaterThan(accuracy![0]!);
    // The last epoch's validation accuracy is the test accuracy the report prints.
    expect(val_accuracy![1]).toBeCloseTo(result.testAccuracy, 12);
    expect(val_loss).toHaveLength(2);
    // Confusion matrix: 20 test digits of each class per row.
    expect(result.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(new Array(10).fill(20));
    const diagonal = result.confusion.reduce((t, row, i) => t + row[i]!, 0);
    expect(diagonal / 200).toBe(result.testAccuracy);
    const text = result.lines.join('\n');
    expect(text).toContain('500 for training, 200 for testing');
    expect(text).toContain('784-128-128-10 MLP');
    expect(text).toContain(`test accuracy: ${result.testAccuracy.toFixed(4)} (${diagonal} of 200 digits)`);
    expect(text).toMatch(/epoch\s+loss\s+accuracy\s+test loss\s+test accuracy\n[- ]+\n\s+1\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\n\s+2\s/);
  });

  it('gives bitwise-identical weights and report for the same seed, and different ones for another seed', async () => {
    const a = await train({ backend: new CpuBackend() });
    const b = await train({ backend: new CpuBackend() });
    expect(weightBytes(a).equals(weightBytes(b))).toBe(true);
    expect(b.lines).toEqual(a.lines);
    const c = await train({ backend: new CpuBackend(), seed: 7 });
    expect(weightBytes(c).equals(weightBytes(a))).toBe(false);
  });

  it('gives bitwise the same weights on the worker backend (every kernel split over 2 threads) as on cpu', async () => {
    const cpu = await train({ backend: new CpuBackend() });
    const backend = new WorkerBackend({ threads: 2, inlineThreshold: 0 });
    try {
      const worker = await train({ backend });
      expect(weightBytes(worker).equals(weightBytes(cpu))).toBe(true);
      expect(worker.lines).toEqual(cpu.lines);
    } finally {
      backend.dispose();
    }
  });

  it('learns on the wasm backend, with bitwise the same weights on 1 thread and on 2 (every kernel split)', async () => {
    const single = new WasmBackend();
    const split = new WasmBackend({ threads: 2, inlineThreshold: 0 });
    try {
      const one = await train({ backend: single });
      expect(one.testAccuracy).toBeGreaterThan(0.6);
      const two = await train({ backend: split });
      expect(weightBytes(two).equals(weightBytes(one))).toBe(true);
      expect(two.lines).toEqual(one.lines);
    } finally {
      single.dispose();
      split.dispose();
    }
  });

  it('reports progress per batch and epoch, and prints the report lines as they come', async () => {
    const events: string[] = [];
    const last: BatchProgress[] = [];
    const progress: EpochProgress = {
      epochBegin: (epoch, epochs, batches) => events.push(`begin ${epoch}/${epochs} ${batches}`),
      batchEnd: (p) => void last.push(p),
      epochEnd: (p) => events.push(`end ${p.batch} ${p.samples}`),
      stop: () => events.push('stop'),
    };
    const printed: string[] = [];
    const result = await train({ backend: new CpuBackend(), epochs: 1, progress, print: (line) => printed.push(line) });
    // 500 digits in batches of 32: 15 full batches and one of 20.
    expect(events).toEqual(['begin 0/1 16', 'end 16 500', 'stop']);
    expect(last).toHaveLength(16);
    expect(last.map((p) => p.samples).slice(-2)).toEqual([480, 500]);
    expect(last.at(-1)!.loss).toBeCloseTo(result.history.history.loss![0]!, 6);
    expect(last.at(-1)!.accuracy).toBeCloseTo(result.history.history.accuracy![0]!, 12);
    expect(printed).toEqual(result.lines);
  });
});
