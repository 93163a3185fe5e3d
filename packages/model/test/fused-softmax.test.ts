import { Dense, Softmax } from '@scratchnet/layers';
import { Rng, randn, tensor, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { SGD, Sequential } from '@scratchnet/model';
import { oneHot, useCpu } from './helpers.js';

beforeAll(useCpu);

/**
 * One plain-SGD step on a single Dense layer computed by hand in float64: logits `z = xW + b`,
 * `g = (softmax(z) - y) / N`, `W -= lr xᵀg`, `b -= lr Σ g`; returns the new W, b and the mean
 * loss `mean(logsumexp(z) - z·y)`.
 */
function referenceStep(x: number[][], y: number[][], w: number[][], b: number[], lr: number): { w: number[][]; b: number[]; loss: number } {
  const n = x.length;
  const g = x.map((row, i) => {
    const z = b.map((bj, j) => bj + row.reduce((s, xv, f) => s + xv * w[f]![j]!, 0));
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const total = e.reduce((s, v) => s + v, 0);
    return { grad: e.map((v, j) => (v / total - y[i]![j]!) / n), loss: Math.log(total) + max - z.reduce((s, v, j) => s + v * y[i]![j]!, 0) };
  });
  const newW = w.map((wrow, f) => wrow.map((wv, j) => wv - lr * x.reduce((s, row, i) => s + row[f]! * g[i]!.grad[j]!, 0)));
  const newB = b.map((bv, j) => bv - lr * g.reduce((s, r) => s + r.grad[j]!, 0));
  return { w: newW, b: newB, loss: g.reduce((s, r) => s + r.loss, 0) / n };
}

const rows = (t: Tensor): number[][] => t.toArray() as number[][];

function expectClose(actual: number[][] | number[], expected: number[][] | number[], rel: number): void {
  const a = actual.flat();
  const e = expected.flat();
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(Math.abs(v - e[i]!)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(e[i]!))));
}

describe('softmax + cross-entropy are fused in training', () => {
  const cases = [
    ['a Softmax layer with sparse labels', 'layer', 'sparseCategoricalCrossentropy'],
    ['a Dense with activation softmax and one-hot labels', 'dense', 'categoricalCrossentropy'],
  ] as const;
  for (const [name, head, loss] of cases) {
    it(`${name}: one SGD step is W -= lr xᵀ(p - y)/N, the loss mean(lse(z) - z_y)`, async () => {
      const rng = new Rng(4);
      const dense = new Dense(3, 4, { rng, dtype: 'float64', activation: head === 'dense' ? 'softmax' : 'linear', biasInitializer: 'heNormal' });
      const model = new Sequential(head === 'dense' ? [dense] : [dense, new Softmax()]);
      model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss });
      const x = randn([6, 3], { rng, dtype: 'float64' });
      const labels = tensor([0, 3, 1, 1, 2, 0], { dtype: 'int32' });
      const y = loss === 'sparseCategoricalCrossentropy' ? labels : oneHot(labels, 4, 'float64');
      const expected = referenceStep(rows(x), rows(oneHot(labels, 4, 'float64')), rows(dense.kernel!), Array.from(dense.bias!.data), 0.5);
      const history = await model.fit(x, y, { epochs: 1, batchSize: 6, shuffle: false });
      expectClose(rows(dense.kernel!), expected.w, 1e-12);
      expectClose(Array.from(dense.bias!.data), expected.b, 1e-12);
      expect(history.history.loss![0]).toBeCloseTo(expected.loss, 12);
      // predict still runs the softmax: rows are probabilities.
      for (const row of rows(model.predict(x))) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    });
  }

  it('saturated outputs (logits of ±1e4) train without NaN to zero loss, the loss unclipped', async () => {
    const rng = new Rng(5);
    const dense = new Dense(2, 3, { rng });
    dense.kernel!.data.set([10000, -10000, 0, -10000, 10000, 0]);
    const model = new Sequential([dense, new Softmax()]);
    model.compile({ optimizer: new SGD({ learningRate: 2000 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    // Every sample is confidently wrong: logits of ±1e4, probabilities exactly 0 and 1 in float32.
    const x = tensor([[1.5, 0.5], [2, 1], [0.5, 1.5], [1, 2]]);
    const y = oneHot(tensor([1, 1, 0, 0], { dtype: 'int32' }), 3);
    expect(rows(model.predict(x)).flat().every((p) => p === 0 || p === 1)).toBe(true);
    const history = await model.fit(x, y, { epochs: 30, batchSize: 4, shuffle: false });
    const losses = history.history.loss!;
    expect(losses.every(Number.isFinite)).toBe(true);
    // Each row's loss is logsumexp(z) - z_label = 1e4 + 1e4 exactly. A cross-entropy on clipped
    // probabilities would report -log(1e-7) ≈ 16.1 and pass back a zero gradient (p is clipped).
    expect(losses[0]).toBe(20000);
    expect(losses.at(-1)!).toBeLessThan(1e-3);
    expect(history.history.accuracy!.at(-1)).toBe(1);
    expect(model.weights.every((w) => Array.from(w.data).every(Number.isFinite))).toBe(true);
  });
});
