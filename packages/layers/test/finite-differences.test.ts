import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Rng, randn, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReLU, type BackwardOptions } from '@scratchnet/layers';
import {
  GradientCheckError,
  assertGradient,
  checkLayerGradients,
  compareGradients,
  numericGradient,
} from '@scratchnet/layers/testing';

beforeAll(() => {
  setBackend(new CpuBackend());
});

/** f(x) = Σ x³ + x0·x1, whose gradient is 3x² (+ x1 on x0, + x0 on x1). */
function cubic(x: Float64Array): number {
  let s = x[0]! * x[1]!;
  for (const v of x) s += v * v * v;
  return s;
}
function cubicGrad(x: Float64Array): Float64Array {
  const g = x.map((v) => 3 * v * v);
  g[0] = g[0]! + x[1]!;
  g[1] = g[1]! + x[0]!;
  return g;
}

describe('the finite-difference checker', () => {
  const x = Float64Array.from([0.5, -1.25, 2, 0.1, -0.7]);

  it('central differences approximate a known gradient to ~h²', () => {
    const numeric = numericGradient(x, () => cubic(x));
    const exact = cubicGrad(x);
    const c = compareGradients(exact, numeric);
    expect(c.relError).toBeLessThan(1e-9);
    expect(c.elementError).toBeLessThan(1e-8); // h² f'''/6 = 1e-10 absolute, on elements as small as 0.03
    expect(c.scale).toBeCloseTo(12, 6);
    expect(c.count).toBe(5);
    // x is restored exactly after each perturbation.
    expect(Array.from(x)).toEqual([0.5, -1.25, 2, 0.1, -0.7]);
  });

  it('takes a tensor (its data) as well as an array', () => {
    const t = { data: Float64Array.from(x) };
    expect(Array.from(numericGradient(t, () => cubic(t.data)))).toEqual(Array.from(numericGradient(x, () => cubic(x))));
  });

  it('detects a gradient off by 1e-4 relative, or wrong in one element, naming the element', () => {
    const g = cubicGrad(x);
    expect(assertGradient('cubic', x, g, () => cubic(x)).elementError).toBeLessThan(1e-6);
    const scaled = g.map((v) => v * (1 + 1e-4));
    expect(() => assertGradient('cubic', x, scaled, () => cubic(x))).toThrow(GradientCheckError);
    const oneWrong = Float64Array.from(g);
    oneWrong[3] = -oneWrong[3]!;
    expect(() => assertGradient('cubic', x, oneWrong, () => cubic(x))).toThrow(/^cubic: gradient element 3 is -0\.03\d*, central differences give 0\.03/);
  });

  it('the elementwise measure catches an error in a small element that the scale measure forgives', () => {
    const g = cubicGrad(x);
    const smallWrong = Float64Array.from(g);
    smallWrong[3] = g[3]! * 2; // 0.03 -> 0.06: tiny against the scale of 12
    const c = compareGradients(smallWrong, numericGradient(x, () => cubic(x)));
    expect(c.relError).toBeLessThan(1e-2);
    expect(c.elementError).toBeGreaterThan(0.4);
    expect(c.worst.index).toBe(3);
    expect(() => assertGradient('cubic', x, smallWrong, () => cubic(x), { measure: 'scale', tolerance: 1e-2 })).not.toThrow();
    expect(() => assertGradient('cubic', x, smallWrong, () => cubic(x))).toThrow(/gradient element 3/);
  });

  it('a NaN or infinite value fails, all-zero gradients agree, lengths must match', () => {
    expect(compareGradients([1, NaN, 2], [1, 1, 2])).toMatchObject({ relError: Infinity, elementError: Infinity, worst: { index: 1 } });
    expect(compareGradients([1, 2], [1, Infinity]).relError).toBe(Infinity);
    expect(compareGradients([0, 0], [0, 0])).toMatchObject({ relError: 0, elementError: 0, scale: 0 });
    expect(() => compareGradients([1], [1, 2])).toThrow(RangeError);
    expect(() => assertGradient('nan', x, [NaN, 0, 0, 0, 0], () => cubic(x))).toThrow(GradientCheckError);
  });

  it('a suite can throw its own error class', () => {
    class SuiteError extends Error {}
    expect(() => assertGradient('f', x, new Float64Array(5), () => cubic(x), { fail: (m) => new SuiteError(m) })).toThrow(SuiteError);
  });

  it('checkLayerGradients passes a correct layer and catches a layer whose backward is wrong', () => {
    const input = randn([3, 4], { dtype: 'float64', rng: new Rng(1) });
    const ok = checkLayerGradients(new ReLU(), input, { rng: new Rng(2) });
    expect(ok.dx.relError).toBeLessThan(1e-8);
    expect(ok.dx.scale).toBeGreaterThan(0);
    class LeakyBackward extends ReLU {
      override backward(dy: Tensor, options: BackwardOptions = {}): Tensor {
        const dx = super.backward(dy, options)!;
        dx.data[0] = dx.data[0]! + 0.5;
        return dx;
      }
    }
    expect(checkLayerGradients(new LeakyBackward(), input, { rng: new Rng(2) }).dx.relError).toBeGreaterThan(0.1);
  });
});
