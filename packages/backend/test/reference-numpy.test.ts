import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor, type DType, type Tensor } from '@scratchnet/tensor';
import {
  ACTIVATION_OPS,
  UNARY_OPS,
  activationBackward,
  unaryOp,
  type UnaryParams,
  adamUpdate,
  add,
  argmax,
  argmin,
  cast,
  clearBackend,
  div,
  equal,
  gather,
  greater,
  less,
  logSoftmax,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  momentumUpdate,
  mul,
  pow,
  rmspropUpdate,
  setBackend,
  sgdUpdate,
  softmax,
  softmaxBackward,
  softmaxCrossentropy,
  squaredDifference,
  sub,
  sum,
  transpose,
} from '@scratchnet/backend';
import { ReferenceBackend } from '@scratchnet/backend/testing';

// The ReferenceBackend is the conformance suite's oracle, so it is checked here against NumPy
// (test/fixtures/make_ops_fixtures.py), through the ops front-end, in float64.

interface Fixture {
  shape: number[];
  dtype: string;
  data: number[];
}
type Group = Record<string, Fixture & Record<string, Fixture>>;

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/ops.json', import.meta.url), 'utf8')) as Record<string, Group>;

function load(f: Fixture): Tensor {
  const dtype: DType = f.dtype === 'int32' ? 'int32' : 'float64';
  return tensor(f.data, { shape: f.shape, dtype });
}

function group(name: string): Record<string, Tensor> {
  const g = fixtures[name]!;
  return Object.fromEntries(Object.entries(g).filter(([, v]) => 'data' in v).map(([k, v]) => [k, load(v)]));
}

function expectClose(got: Tensor, expected: Tensor, rtol = 1e-12): void {
  expect(got.shape).toEqual(expected.shape);
  for (let i = 0; i < got.size; i++) {
    const g = got.data[i]!;
    const e = expected.data[i]!;
    const tol = rtol * (Math.abs(e) + 1);
    if (!(Math.abs(g - e) <= tol)) expect.fail(`element ${i}: got ${g}, NumPy gives ${e}`);
  }
}

beforeAll(() => {
  setBackend(new ReferenceBackend());
});
afterAll(() => clearBackend());

describe('ReferenceBackend through ops agrees with NumPy', () => {
  it('matmul: 2-D with every transpose combination', () => {
    const f = group('matmul');
    expectClose(matmul(f.a!, f.b!), f.ab!);
    expectClose(matmul(f.aT!, f.b!, { transposeA: true }), f.ab!);
    expectClose(matmul(f.a!, f.bT!, { transposeB: true }), f.ab!);
    expectClose(matmul(f.aT!, f.bT!, { transposeA: true, transposeB: true }), f.ab!);
  });

  it('matmul: batched 3-D x 3-D, 3-D x shared 2-D, accumulate', () => {
    const f = group('matmul_batched');
    expectClose(matmul(f.a!, f.b!), f.ab!);
    expectClose(matmul(f.a!, f.b2!), f.ab2!);
    expectClose(matmul(f.a!, f.b!, { accumulate: true, out: f.c0! }), f.acc!);
  });

  it('every unary op of UNARY_SPECS', () => {
    const g = fixtures.unary! as unknown as { x: Fixture; pos: Fixture; ops: Record<string, { input: 'x' | 'pos'; params: UnaryParams; y: Fixture }> };
    for (const op of UNARY_OPS) {
      const f = g.ops[op];
      if (f === undefined) expect.fail(`ops.json has no NumPy result for unary op ${op}: add it to make_ops_fixtures.py`);
      expectClose(unaryOp(op, load(g[f.input]), { params: f.params }), load(f.y));
    }
  });

  it('binary ops broadcasting [3,1] against [4]', () => {
    const f = group('binary');
    const ops = { add, sub, mul, div, pow, maximum, minimum, squaredDifference, equal, greater, less };
    for (const [name, op] of Object.entries(ops)) {
      expectClose((op as (a: Tensor, b: Tensor) => Tensor)(f.a!, f.b!), f[name]!);
    }
    // The fixture has one equal pair, so equal() is not all zeros.
    expect(sum(f.equal!).item()).toBe(1);
  });

  it('activationBackward for every activation of UNARY_SPECS', () => {
    const g = fixtures.activationBackward! as unknown as { dy: Fixture; ops: Record<string, { saved: Fixture; params: UnaryParams; dx: Fixture }> };
    for (const op of ACTIVATION_OPS) {
      const f = g.ops[op];
      if (f === undefined) expect.fail(`ops.json has no NumPy gradient for activation ${op}: add it to make_ops_fixtures.py`);
      expectClose(activationBackward(op, load(f.saved), load(g.dy), f.params), load(f.dx));
    }
  });

  it('reductions: all axes, one axis, contiguous and scattered axes, keepDims', () => {
    const g = fixtures.reduce!;
    const x = load(g.x!);
    const ops = { sum, mean, max, min };
    for (const [name, op] of Object.entries(ops)) {
      const e = g[name]! as unknown as Record<string, Fixture>;
      expectClose(op(x), load(e.all!));
      expectClose(op(x, { axis: 0 }), load(e.axis0!));
      expectClose(op(x, { axis: -1 }), load(e.axisM1!));
      expectClose(op(x, { axis: [1, 2] }), load(e.axes12!));
      expectClose(op(x, { axis: [0, 2], keepDims: true }), load(e.axes02keep!));
    }
  });

  it('argmax / argmin return the first index on ties', () => {
    const f = group('argReduce');
    expect(Array.from(argmax(f.x!).data)).toEqual(Array.from(f.argmaxLast!.data));
    expect(Array.from(argmin(f.x!).data)).toEqual(Array.from(f.argminLast!.data));
    expect(Array.from(argmax(f.x!, { axis: 0 }).data)).toEqual(Array.from(f.argmax0!.data));
    expect(Array.from(argmin(f.x!, { axis: 0 }).data)).toEqual(Array.from(f.argmin0!.data));
  });

  it('softmax, logSoftmax (also on other axes and with logits near ±1e4), softmaxBackward', () => {
    const f = group('softmax');
    expectClose(softmax(f.x!), f.softmax!);
    expectClose(softmax(f.x!, { axis: 0 }), f.softmaxAxis0!);
    expectClose(logSoftmax(f.x!), f.logSoftmax!);
    expectClose(logSoftmax(f.x!, { axis: 1 }), f.logSoftmaxAxis1!);
    expectClose(softmax(f.huge!), f.softmaxHuge!);
    expectClose(logSoftmax(f.huge!), f.logSoftmaxHuge!);
    expectClose(softmaxBackward(f.y!, f.dy!), f.softmaxBackward!);
  });

  it('softmaxCrossentropy with sparse and soft labels', () => {
    const f = group('sce');
    const sparse = softmaxCrossentropy(f.logits!, f.labels!, { withGrad: true, gradScale: 1 / 4 });
    expectClose(sparse.losses, f.lossesSparse!);
    expectClose(sparse.dlogits!, f.gradSparseMean!);
    const soft = softmaxCrossentropy(f.logits!, f.soft!, { withGrad: true });
    expectClose(soft.losses, f.lossesSoft!);
    expectClose(soft.dlogits!, f.gradSoft!);
  });

  it('gather, transpose, cast to int32', () => {
    const f = group('data');
    expectClose(gather(f.gx!, f.gi!), f.gather!);
    expectClose(transpose(f.tx!), f.transposeDefault!);
    expectClose(transpose(f.tx!, [1, 0, 2]), f.transpose102!);
    const c = cast(f.cx!, 'int32');
    expect(c.dtype).toBe('int32');
    expect(Array.from(c.data)).toEqual(Array.from(f.castInt32!.data));
  });

  it('optimizer updates over three steps', () => {
    const g = fixtures.optimizers!;
    const p0 = load(g.p0!);
    const grads = (g.grads as unknown as Fixture[]).map(load);
    const fresh = (): Tensor => tensor(p0.data, { shape: p0.shape, dtype: 'float64' });
    const zeros = (): Tensor => tensor(new Float64Array(p0.size));
    const expectFixture = (t: Tensor, name: string): void => expectClose(t, load(g[name]!));

    let p = fresh();
    for (const gr of grads) sgdUpdate(p, gr, { lr: 0.1 });
    expectFixture(p, 'sgd');
    p = fresh();
    for (const gr of grads) sgdUpdate(p, gr, { lr: 0.1, weightDecay: 0.01 });
    expectFixture(p, 'sgdDecay');

    for (const [nesterov, name] of [[false, 'momentum'], [true, 'nesterov']] as const) {
      p = fresh();
      const v = zeros();
      for (const gr of grads) momentumUpdate(p, gr, v, { lr: 0.1, momentum: 0.9, nesterov });
      expectFixture(p, name);
      expectFixture(v, `${name}V`);
    }

    for (const [weightDecay, name] of [[0, 'adam'], [0.1, 'adamw']] as const) {
      p = fresh();
      const m = zeros();
      const v = zeros();
      grads.forEach((gr, i) => adamUpdate(p, gr, m, v, { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: i + 1, weightDecay }));
      expectFixture(p, name);
      if (name === 'adam') {
        expectFixture(m, 'adamM');
        expectFixture(v, 'adamV');
      }
    }

    p = fresh();
    let s = zeros();
    for (const gr of grads) rmspropUpdate(p, gr, s, null, null, { lr: 0.01, rho: 0.9, epsilon: 1e-7 });
    expectFixture(p, 'rmsprop');
    expectFixture(s, 'rmspropS');
    p = fresh();
    s = zeros();
    const buffer = zeros();
    for (const gr of grads) rmspropUpdate(p, gr, s, null, buffer, { lr: 0.01, rho: 0.9, epsilon: 1e-7, momentum: 0.5 });
    expectFixture(p, 'rmspropMomentum');
    expectFixture(s, 'rmspropMomentumS');
    expectFixture(buffer, 'rmspropMomentumBuffer');
    p = fresh();
    s = zeros();
    const meanGrad = zeros();
    const centeredBuffer = zeros();
    for (const gr of grads) rmspropUpdate(p, gr, s, meanGrad, centeredBuffer, { lr: 0.01, rho: 0.9, epsilon: 1e-7, momentum: 0.5, centered: true });
    expectFixture(p, 'rmspropCentered');
    expectFixture(s, 'rmspropCenteredS');
    expectFixture(meanGrad, 'rmspropCenteredMeanGrad');
    expectFixture(centeredBuffer, 'rmspropCenteredBuffer');
  });
});
