import type { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { assertGradient } from '@scratchnet/backend/testing';
import { CpuBackend } from '../src/index.js';
import { fromValues, randomTensor, SuiteRandom, toleranceRatio, zerosTensor } from './helpers.js';

const backend = new CpuBackend();

/** Softmax of one row, the textbook way with the max subtracted. */
function softmaxRow(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

function rowsOf(t: Tensor): number[][] {
  const cols = t.shape[t.shape.length - 1]!;
  const rows: number[][] = [];
  for (let r = 0; r < t.size / cols; r++) rows.push(Array.from(t.data.subarray(r * cols, (r + 1) * cols)));
  return rows;
}

describe('softmax and logSoftmax', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`match the reference per row of the last axis (${dtype})`, () => {
      const x = randomTensor(new SuiteRandom(1), [3, 4, 7], dtype, -10, 10);
      const out = zerosTensor([3, 4, 7], dtype);
      backend.softmax(x, out);
      const expected = rowsOf(x).flatMap(softmaxRow);
      const rtol = dtype === 'float32' ? 2e-7 : 1e-14;
      expect(toleranceRatio(out.data, expected, rtol, 1e-300)).toBeLessThanOrEqual(1);
      backend.logSoftmax(x, out);
      expect(toleranceRatio(out.data, expected.map(Math.log), rtol * 4, rtol)).toBeLessThanOrEqual(1);
    });
  }

  it('is stable for huge logits and exact for a one-column row', () => {
    const x = fromValues([1e30, -1e30, 3e38, 1000, 1000, -3e38], [2, 3], 'float32');
    const out = zerosTensor([2, 3], 'float32');
    backend.softmax(x, out);
    expect(Array.from(out.data)).toEqual([0, 0, 1, 0.5, 0.5, 0]);
    const log = zerosTensor([1, 2], 'float64');
    backend.logSoftmax(fromValues([1e300, 1e300], [1, 2], 'float64'), log);
    expect(Array.from(log.data)).toEqual([-Math.LN2, -Math.LN2]);
    const single = zerosTensor([4, 1], 'float64');
    backend.softmax(randomTensor(new SuiteRandom(2), [4, 1], 'float64'), single);
    expect(Array.from(single.data)).toEqual([1, 1, 1, 1]);
  });

  it('may write in place', () => {
    const x = fromValues([0, Math.log(3)], [1, 2], 'float64');
    backend.softmax(x, x);
    expect(toleranceRatio(x.data, [0.25, 0.75], 1e-15, 0)).toBeLessThanOrEqual(1);
  });
});

describe('softmaxBackward', () => {
  it('matches finite differences of sum(dy * softmax(x)) (float64)', () => {
    const rng = new SuiteRandom(3);
    const x = randomTensor(rng, [3, 5], 'float64', -2, 2);
    const dy = randomTensor(rng, [3, 5], 'float64');
    const y = zerosTensor([3, 5], 'float64');
    backend.softmax(x, y);
    const dx = zerosTensor([3, 5], 'float64');
    backend.softmaxBackward(y, dy, dx);

    const objective = (): number => {
      const s = zerosTensor(x.shape, 'float64');
      backend.softmax(x, s);
      return Array.from(s.data).reduce((acc, v, i) => acc + v * dy.data[i]!, 0);
    };
    assertGradient('softmaxBackward', x, dx, objective);
  });
});

describe('softmaxCrossentropy', () => {
  /** -sum(y log softmax(z)) and (softmax(z) - y) * scale, row by row. */
  function referenceSce(logits: Tensor, targets: number[][], scale: number): { losses: number[]; grad: number[] } {
    const losses: number[] = [];
    const grad: number[] = [];
    rowsOf(logits).forEach((row, r) => {
      const p = softmaxRow(row);
      const y = targets[r]!;
      losses.push(-p.reduce((acc, pj, j) => acc + y[j]! * Math.log(pj), 0));
      p.forEach((pj, j) => grad.push((pj - y[j]!) * scale));
    });
    return { losses, grad };
  }

  for (const dtype of ['float32', 'float64'] as const) {
    it(`dense soft targets and sparse int32 labels match the reference (${dtype})`, () => {
      const rng = new SuiteRandom(4);
      const n = 6;
      const c = 5;
      const logits = randomTensor(rng, [n, c], dtype, -4, 4);
      const classes = randomTensor(rng, [n], 'int32', 0, c - 1);
      const oneHot = Array.from(classes.data, (k) => Array.from({ length: c }, (_, j) => (j === k ? 1 : 0)));
      const soft = Array.from({ length: n }, () => {
        const w = Array.from({ length: c }, () => rng.next());
        const s = w.reduce((a, b) => a + b, 0);
        return w.map((v) => v / s);
      });
      const rtol = dtype === 'float32' ? 1e-6 : 1e-13;
      for (const [labels, targets] of [
        [classes, oneHot],
        [fromValues(soft.flat(), [n, c], dtype), soft],
      ] as const) {
        const losses = zerosTensor([n], dtype);
        const dlogits = zerosTensor([n, c], dtype);
        backend.softmaxCrossentropy(logits, labels, losses, dlogits, 1 / n);
        const ref = referenceSce(logits, targets, 1 / n);
        expect(toleranceRatio(losses.data, ref.losses, rtol, rtol)).toBeLessThanOrEqual(1);
        expect(toleranceRatio(dlogits.data, ref.grad, rtol, rtol)).toBeLessThanOrEqual(1);
      }
    });
  }

  it('the gradient (gradScale 1) is the derivative of the loss, by finite differences', () => {
    const rng = new SuiteRandom(5);
    const logits = randomTensor(rng, [2, 4], 'float64', -3, 3);
    const labels = fromValues([0.1, 0.2, 0.3, 0.4, 0.7, 0, 0.3, 0], [2, 4], 'float64');
    const losses = zerosTensor([2], 'float64');
    const dlogits = zerosTensor([2, 4], 'float64');
    backend.softmaxCrossentropy(logits, labels, losses, dlogits, 1);
    const total = (): number => {
      const l = zerosTensor([2], 'float64');
      backend.softmaxCrossentropy(logits, labels, l, null, 1);
      return l.data[0]! + l.data[1]!;
    };
    assertGradient('softmaxCrossentropy dlogits', logits, dlogits, total);
  });

  it('stays finite and exact for logits of huge magnitude', () => {
    const logits = fromValues([1e30, -1e30, 0, 3e38, -3e38, 5], [2, 3], 'float32');
    const labels = fromValues([1, 0], [2], 'int32');
    const losses = zerosTensor([2], 'float32');
    const dlogits = zerosTensor([2, 3], 'float32');
    backend.softmaxCrossentropy(logits, labels, losses, dlogits, 1);
    // Row 0: the wrong class dominates by 2e30; row 1: the right one dominates completely.
    expect(losses.data[0]).toBe(Math.fround(2e30));
    expect(losses.data[1]).toBe(0);
    expect(Array.from(dlogits.data)).toEqual([1, -1, 0, 0, 0, 0]);
  });

  it('writes only losses when dlogits is null', () => {
    const logits = fromValues([0, 0], [1, 2], 'float64');
    const losses = zerosTensor([1], 'float64');
    backend.softmaxCrossentropy(logits, fromValues([1], [1], 'int32'), losses, null, 1);
    expect(losses.data[0]).toBeCloseTo(Math.LN2, 15);
  });
});
