import { ACTIVATION_OPS, BINARY_OPS, UNARY_OPS, UNARY_SPECS, activationSpec, type BinaryOp, type UnaryOp } from '@scratchnet/backend';
import type { Tensor } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { assertGradient } from '@scratchnet/backend/testing';
import { CpuBackend } from '../src/index.js';
import { fromValues, randomTensor, SuiteRandom, toleranceRatio, tolerances, zerosTensor } from './helpers.js';

const backend = new CpuBackend();

// Plain reference definitions, written out independently of the kernels.
const UNARY_REF: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  sign: (x) => Math.sign(x),
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  sqrt: (x) => Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  relu: (x) => Math.max(0, x),
  leakyRelu: (x) => (x > 0 ? x : 0.2 * x),
  elu: (x) => (x > 0 ? x : 0.2 * (Math.exp(x) - 1)),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
  clip: (x) => Math.min(0.7, Math.max(-0.5, x)),
  scale: (x) => 0.2 * x,
};
const PARAMS = { alpha: 0.2, min: -0.5, max: 0.7 };

const BINARY_REF: Record<BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => x ** y,
  maximum: (x, y) => Math.max(x, y),
  minimum: (x, y) => Math.min(x, y),
  squaredDifference: (x, y) => (x - y) ** 2,
  equal: (x, y) => Number(x === y),
  greater: (x, y) => Number(x > y),
  less: (x, y) => Number(x < y),
};

/** NumPy broadcasting by coordinates: the element of `t` that lands on `coords` of the output. */
function broadcastRead(t: Tensor, coords: number[]): number {
  let index = 0;
  let stride = 1;
  for (let d = t.shape.length - 1; d >= 0; d--) {
    const dim = t.shape[d]!;
    const c = coords[coords.length - t.shape.length + d]!;
    index += (dim === 1 ? 0 : c) * stride;
    stride *= dim;
  }
  return t.data[index]!;
}

function coordsOf(i: number, shape: readonly number[]): number[] {
  const coords = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return coords;
}

describe('unary', () => {
  for (const op of UNARY_OPS) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${op} ${dtype} matches the reference`, () => {
        const lo = op === 'log' || op === 'sqrt' ? 0.01 : -6;
        const x = randomTensor(new SuiteRandom(1), [9, 11], dtype, lo, 6);
        x.data[3] = 0;
        const out = zerosTensor([9, 11], dtype);
        backend.unary(op, x, out, PARAMS);
        const expected = Array.from(x.data, UNARY_REF[op]);
        const { rtol, atol } = tolerances(dtype);
        expect(toleranceRatio(out.data, expected, rtol, atol)).toBeLessThanOrEqual(1);
      });
    }
  }

  it('propagates NaN through every op', () => {
    for (const op of UNARY_OPS) {
      const out = zerosTensor([1], 'float64');
      backend.unary(op, fromValues([NaN], [1], 'float64'), out, PARAMS);
      expect(out.data[0], op).toBeNaN();
    }
  });

  it('sigmoid stays finite and exact at the extremes', () => {
    const x = fromValues([-1000, -40, 0, 40, 1000], [5], 'float64');
    const out = zerosTensor([5], 'float64');
    backend.unary('sigmoid', x, out);
    expect(Array.from(out.data)).toEqual([0, Math.exp(-40) / (1 + Math.exp(-40)), 0.5, 1 / (1 + Math.exp(-40)), 1]);
  });

  it('defaults: leakyRelu slope, scale factor 1, clip without bounds', () => {
    const x = fromValues([-2, 3], [2], 'float64');
    const out = zerosTensor([2], 'float64');
    backend.unary('leakyRelu', x, out);
    expect(Array.from(out.data)).toEqual([-2 * UNARY_SPECS.leakyRelu.params.alpha.default, 3]);
    backend.unary('elu', x, out);
    expect(Array.from(out.data)).toEqual([UNARY_SPECS.elu.params.alpha.default * Math.expm1(-2), 3]);
    backend.unary('scale', x, out);
    expect(Array.from(out.data)).toEqual([-2, 3]);
    backend.unary('clip', x, out, { min: 0 });
    expect(Array.from(out.data)).toEqual([0, 3]);
  });

  it('works in place (out is x)', () => {
    const x = fromValues([-1, 4, 9], [3], 'float32');
    backend.unary('sqrt', x, x);
    expect(Array.from(x.data)).toEqual([NaN, 2, 3]);
  });
});

describe('binary with broadcasting', () => {
  const shapes: Array<[number[], number[]]> = [
    [[4, 5], [4, 5]], // same
    [[4, 5], []], // scalar b
    [[1], [4, 5]], // scalar a
    [[6, 7], [7]], // bias row
    [[1, 7], [6, 7]], // row a
    [[6, 1], [6, 7]], // column
    [[2, 3, 4], [3, 1]], // strided
    [[2, 1, 4, 1], [3, 1, 5]], // both broadcast
    [[5, 1, 3], [1, 4, 1]],
    [[0, 3], [3]], // empty
  ];
  for (const op of BINARY_OPS) {
    it(`${op} matches the reference on every layout`, () => {
      const rng = new SuiteRandom(2);
      for (const [aShape, bShape] of shapes) {
        const a = randomTensor(rng, aShape, 'float64', 0.1, 3);
        const b = randomTensor(rng, bShape, 'float64', 0.1, 3);
        // Make some elements equal so comparisons see both answers.
        if (a.size > 0 && b.size > 0) a.data[0] = b.data[0]!;
        const rank = Math.max(aShape.length, bShape.length);
        const outShape = Array.from({ length: rank }, (_, i) => {
          const da = aShape[aShape.length - rank + i] ?? 1;
          const db = bShape[bShape.length - rank + i] ?? 1;
          return da === 1 ? db : da;
        });
        const out = zerosTensor(outShape, 'float64');
        backend.binary(op, a, b, out);
        const expected = Array.from({ length: out.size }, (_, i) => {
          const c = coordsOf(i, outShape);
          return BINARY_REF[op](broadcastRead(a, c), broadcastRead(b, c));
        });
        expect(toleranceRatio(out.data, expected, 1e-15, 0), `${op} ${JSON.stringify(aShape)} ${JSON.stringify(bShape)}`).toBeLessThanOrEqual(1);
      }
    });
  }

  it('comparisons write 1/0 into any dtype', () => {
    const a = fromValues([1, 2, 3], [3], 'float32');
    const b = fromValues([2, 2, 2], [3], 'float32');
    const out = zerosTensor([3], 'int32');
    backend.binary('greater', a, b, out);
    expect(Array.from(out.data)).toEqual([0, 0, 1]);
    backend.binary('equal', a, b, out);
    expect(Array.from(out.data)).toEqual([0, 1, 0]);
  });

  it('int32 arithmetic truncates toward zero when stored', () => {
    const a = fromValues([7, -7, 5], [3], 'int32');
    const b = fromValues([2, 2, 0], [3], 'int32');
    const out = zerosTensor([3], 'int32');
    backend.binary('div', a, b, out);
    expect(Array.from(out.data)).toEqual([3, -3, 0]);
  });

  it('maximum and minimum propagate NaN', () => {
    const a = fromValues([NaN, 1], [2], 'float64');
    const b = fromValues([1, NaN], [2], 'float64');
    const out = zerosTensor([2], 'float64');
    backend.binary('maximum', a, b, out);
    expect(Array.from(out.data)).toEqual([NaN, NaN]);
  });

  it('writes in place into the full-shaped operand', () => {
    const a = fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'float32');
    const bias = fromValues([10, 20, 30], [3], 'float32');
    backend.binary('add', a, bias, a);
    expect(Array.from(a.data)).toEqual([11, 22, 33, 14, 25, 36]);
    const c = fromValues([1, 2], [2, 1], 'float32');
    const d = fromValues([1, 1, 1, 1, 1, 1], [2, 3], 'float32');
    backend.binary('sub', c, d, d);
    expect(Array.from(d.data)).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

describe('activationBackward', () => {
  for (const op of ACTIVATION_OPS) {
    it(`${op} matches central finite differences of the forward op (float64)`, () => {
      const rng = new SuiteRandom(3);
      // Keep inputs away from relu's kink so the difference quotient is the derivative.
      const x = randomTensor(rng, [4, 6], 'float64', -3, 3);
      for (let i = 0; i < x.size; i++) if (Math.abs(x.data[i]!) < 1e-3) x.data[i] = 0.5;
      const dy = randomTensor(rng, [4, 6], 'float64');
      const y = zerosTensor([4, 6], 'float64');
      const params = 'alpha' in UNARY_SPECS[op].params ? { alpha: 0.2 } : undefined;
      backend.unary(op, x, y, params);
      const dx = zerosTensor([4, 6], 'float64');
      backend.activationBackward(op, activationSpec(op).saves === 'output' ? y : x, dy, dx, params);

      // d/dx of sum(dy * f(x)) is dy * f'(x): the shared central-difference checker.
      const forward = (): number => {
        const out = zerosTensor([4, 6], 'float64');
        backend.unary(op, x, out, params);
        return Array.from(out.data).reduce((acc, v, i) => acc + v * dy.data[i]!, 0);
      };
      assertGradient(`activationBackward ${op}`, x, dx, forward);
    });
  }

  it('takes relu and leakyRelu derivatives at 0 from the left, and may write into dy', () => {
    const x = fromValues([0, 0], [2], 'float32');
    const dy = fromValues([1, 1], [2], 'float32');
    const dx = zerosTensor([2], 'float32');
    backend.activationBackward('relu', x, dy, dx);
    expect(Array.from(dx.data)).toEqual([0, 0]);
    backend.activationBackward('leakyRelu', x, dy, dy, { alpha: 0.5 });
    expect(Array.from(dy.data)).toEqual([0.5, 0.5]);
  });
});
