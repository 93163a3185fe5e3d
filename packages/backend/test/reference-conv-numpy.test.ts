import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@scratchnet/tensor';
import {
  avgPool,
  avgPoolBackward,
  batchNormalization,
  clearBackend,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  maxPool,
  maxPoolBackward,
  moments,
  setBackend,
  type Padding,
} from '@scratchnet/backend';
import { ReferenceBackend } from '@scratchnet/backend/testing';

// The ReferenceBackend's convolution and pooling loops are the conformance suite's oracle, so
// they are checked here against NumPy (test/fixtures/make_conv_fixtures.py), through the ops,
// in float64; and one case by hand.

interface Fixture {
  shape: number[];
  data: number[];
}
interface ConvCase {
  name: string;
  strides: [number, number];
  padding: Padding;
  dilations: [number, number];
  x: Fixture;
  filter: Fixture;
  dy: Fixture;
  y: Fixture;
  dx: Fixture;
  dfilter: Fixture;
}
interface PoolCase {
  name: string;
  poolSize: [number, number];
  strides: [number, number];
  padding: Padding;
  x: Fixture;
  dy: Fixture;
  maxPool: Fixture;
  avgPool: Fixture;
  maxPoolBackward: Fixture;
  avgPoolBackward: Fixture;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/conv.json', import.meta.url), 'utf8')) as {
  conv: ConvCase[];
  pool: PoolCase[];
  batchNorm: Record<'x' | 'scale' | 'offset' | 'mean' | 'variance' | 'y', Fixture>;
};

const load = (f: Fixture): Tensor => tensor(f.data, { shape: f.shape, dtype: 'float64' });

function expectClose(what: string, got: Tensor, expected: Fixture): void {
  expect(got.shape, what).toEqual(expected.shape);
  for (let i = 0; i < got.size; i++) {
    const g = got.data[i]!;
    const e = expected.data[i]!;
    if (!(Math.abs(g - e) <= 1e-12 * (Math.abs(e) + 1))) expect.fail(`${what}: element ${i} is ${g}, NumPy gives ${e}`);
  }
}

beforeAll(() => {
  setBackend(new ReferenceBackend());
});
afterAll(() => clearBackend());

describe('ReferenceBackend convolution through ops agrees with a hand computation', () => {
  // x = 1..9 as one 3×3 image, filter [[1, 2], [3, 4]].
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1], dtype: 'float64' });
  const f = tensor([1, 2, 3, 4], { shape: [2, 2, 1, 1], dtype: 'float64' });

  it("valid: each 2×2 window dotted with the filter", () => {
    // [1 2; 4 5]·f = 1 + 4 + 12 + 20 = 37, [2 3; 5 6]·f = 47, [4 5; 7 8]·f = 67, [5 6; 8 9]·f = 77.
    expect(Array.from(conv2d(x, f, { padding: 'valid' }).data)).toEqual([37, 47, 67, 77]);
  });

  it("same with an even filter pads only the bottom and the right (TensorFlow's rule)", () => {
    // Output 3×3; the last column sees [3; 6] against f's left column: 3·1 + 6·3 = 21; the
    // bottom-right corner sees only 9 against f[0,0]: 9. Padding on top would shift everything.
    expect(Array.from(conv2d(x, f, { padding: 'same' }).data)).toEqual([37, 47, 21, 67, 77, 33, 23, 26, 9]);
  });
});

describe('ReferenceBackend convolution and pooling through ops agree with NumPy', () => {
  for (const c of fixtures.conv) {
    it(`conv2d, conv2dBackpropInput, conv2dBackpropFilter: ${c.name}`, () => {
      const options = { strides: c.strides, padding: c.padding, dilations: c.dilations };
      const x = load(c.x);
      const f = load(c.filter);
      const dy = load(c.dy);
      expectClose('conv2d', conv2d(x, f, options), c.y);
      expectClose('conv2dBackpropInput', conv2dBackpropInput(x.shape, dy, f, options), c.dx);
      expectClose('conv2dBackpropFilter', conv2dBackpropFilter(x, dy, f.shape, options), c.dfilter);
    });
  }
  for (const c of fixtures.pool) {
    it(`maxPool, avgPool and their gradients: ${c.name}`, () => {
      const options = { poolSize: c.poolSize, strides: c.strides, padding: c.padding };
      const x = load(c.x);
      const dy = load(c.dy);
      expectClose('maxPool', maxPool(x, options), c.maxPool);
      expectClose('avgPool', avgPool(x, options), c.avgPool);
      expectClose('maxPoolBackward', maxPoolBackward(dy, x, options), c.maxPoolBackward);
      expectClose('avgPoolBackward', avgPoolBackward(dy, x.shape, options), c.avgPoolBackward);
    });
  }
});

describe('batch normalization through ops agrees with NumPy', () => {
  it('moments over N, H, W and batchNormalization with scale and offset (epsilon 0.001)', () => {
    const f = fixtures.batchNorm;
    const x = load(f.x);
    const { mean, variance } = moments(x, { axis: [0, 1, 2] });
    expectClose('mean', mean, f.mean);
    expectClose('variance', variance, f.variance);
    expectClose('batchNormalization', batchNormalization(x, mean, variance, { scale: load(f.scale), offset: load(f.offset) }), f.y);
  });
});
