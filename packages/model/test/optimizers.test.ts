import { readFileSync } from 'node:fs';
import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Param } from '@scratchnet/layers';
import { ShapeError, ValueError, tensor, zeros, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, AdamW, Optimizer, RMSprop, SGD, getOptimizer, type NamedParam } from '@scratchnet/model';

interface Arr {
  shape: number[];
  data: number[];
}
interface Fixture {
  steps: number;
  params: Record<string, Arr>;
  grads: Array<Record<string, Arr>>;
  cases: Array<{
    name: string;
    className: string;
    config: Record<string, number | boolean>;
    params: Record<string, { history: Arr[]; slots: Record<string, Arr> }>;
  }>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/optimizers.json', import.meta.url), 'utf8')) as Fixture;

beforeAll(() => {
  setBackend(new CpuBackend());
});

const toTensor = (a: Arr, dtype: 'float32' | 'float64' = 'float64'): Tensor => tensor(a.data, { shape: a.shape, dtype });

function expectClose(actual: Tensor, expected: Arr, rel: number, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  const a = actual.data;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i]!;
    const err = Math.abs(a[i]! - e);
    if (err > rel * Math.max(Math.abs(e), 1e-300)) {
      throw new Error(`${what}: element ${i} is ${a[i]}, NumPy says ${e} (relative error ${err / Math.abs(e)})`);
    }
  }
}

function makeParams(dtype: 'float32' | 'float64' = 'float64'): NamedParam[] {
  return Object.entries(fixture.params).map(([name, a]) => ({ key: `dense/${name}`, param: new Param(name, toTensor(a, dtype)) }));
}

function setGrads(params: NamedParam[], step: number): void {
  for (const { param } of params) param.grad.data.set(fixture.grads[step]![param.name]!.data);
}

describe('optimizers against NumPy (float64)', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: ${fixture.steps} steps match to 1e-12`, () => {
      const optimizer = getOptimizer(c.className, c.config);
      expect(optimizer.className).toBe(c.className);
      const params = makeParams();
      for (let t = 0; t < fixture.steps; t++) {
        setGrads(params, t);
        optimizer.applyGradients(params);
        for (const { param } of params) expectClose(param.value, c.params[param.name]!.history[t]!, 1e-12, `${c.name} ${param.name} step ${t + 1}`);
      }
      expect(optimizer.iterations).toBe(fixture.steps);
      const state = optimizer.getState();
      expect(state.step).toBe(fixture.steps);
      for (const { key, param } of params) {
        const expected = c.params[param.name]!.slots;
        expect(Object.keys(state.slots[key]!).sort()).toEqual(Object.keys(expected).sort());
        for (const [slot, arr] of Object.entries(expected)) expectClose(state.slots[key]![slot]!, arr, 1e-12, `${c.name} ${key}.${slot}`);
      }
    });
  }

  it('float32 parameters follow the float64 trajectory to float32 precision', () => {
    const c = fixture.cases.find((k) => k.name === 'adam defaults')!;
    const optimizer = getOptimizer('adam');
    const params = makeParams('float32');
    for (let t = 0; t < fixture.steps; t++) {
      setGrads(params, t);
      optimizer.applyGradients(params);
    }
    for (const { param } of params) {
      expect(param.value.dtype).toBe('float32');
      expectClose(param.value, c.params[param.name]!.history[fixture.steps - 1]!, 1e-5, `float32 ${param.name}`);
    }
  });
});

describe('optimizer options', () => {
  it('have Keras defaults, AdamW decaying 0.004', () => {
    expect(new SGD().getConfig()).toEqual({ learningRate: 0.01, momentum: 0, nesterov: false, weightDecay: 0 });
    expect(new Adam().getConfig()).toEqual({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 });
    expect(new AdamW().getConfig()).toEqual({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.004 });
    expect(new RMSprop().getConfig()).toEqual({ learningRate: 1e-3, rho: 0.9, epsilon: 1e-7, momentum: 0, centered: false, weightDecay: 0 });
  });

  it('rebuild from className and getConfig', () => {
    for (const opt of [new SGD({ learningRate: 0.3, momentum: 0.5, nesterov: true }), new AdamW({ beta2: 0.98 }), new RMSprop({ momentum: 0.2 })]) {
      const copy = getOptimizer(opt.className, opt.getConfig());
      expect(copy.constructor).toBe(opt.constructor);
      expect(copy.getConfig()).toEqual(opt.getConfig());
    }
    const adam = new Adam();
    expect(getOptimizer(adam)).toBe(adam);
    expect(getOptimizer('ADAM')).toBeInstanceOf(Adam);
  });

  it('reject unknown keys and bad values, naming them', () => {
    expect(() => new SGD({ lr: 0.1 } as never)).toThrow(/SGD: unknown option "lr"; expected one of learningRate, momentum/);
    expect(() => new Adam({ learningRate: 0 })).toThrow(/Adam: learningRate must be a finite number > 0, got 0/);
    expect(() => new Adam({ beta1: 1 })).toThrow(/Adam: beta1 must be a finite number >= 0 and < 1, got 1/);
    expect(() => new AdamW({ weightDecay: -1 })).toThrow(/AdamW: weightDecay must be a finite number >= 0, got -1/);
    expect(() => new RMSprop({ rho: Number.NaN })).toThrow(/RMSprop: rho must be/);
    expect(() => new RMSprop({ epsilon: 0 })).toThrow(ValueError);
    expect(() => new SGD({ nesterov: 'yes' } as never)).toThrow(/SGD: nesterov must be true or false, got "yes"/);
    expect(() => new SGD({ nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => new SGD(null as never)).toThrow(/SGD: options must be an object, got null/);
    expect(() => getOptimizer('adagrad')).toThrow(/optimizer must be an Optimizer or one of "sgd", "adam", "adamw", "rmsprop", got "adagrad"/);
    const sgd = new SGD();
    expect(() => (sgd.learningRate = -1)).toThrow(/SGD: learningRate must be/);
    sgd.learningRate = 0.5;
    expect(sgd.getConfig().learningRate).toBe(0.5);
  });
});

describe('optimizer state', () => {
  it('is empty until the first step, then holds a slot set per parameter', () => {
    const opt = new Adam();
    expect(opt.getState()).toEqual({ step: 0, slots: {} });
    const params = makeParams();
    setGrads(params, 0);
    opt.applyGradients(params);
    const state = opt.getState();
    expect(Object.keys(state.slots)).toEqual(['dense/kernel', 'dense/bias']);
    expect(state.slots['dense/kernel']!.m!.shape).toEqual([3, 4]);
    expect(new SGD().slotNames).toEqual([]);
    expect(new SGD({ momentum: 0.9 }).slotNames).toEqual(['velocity']);
    expect(new RMSprop({ momentum: 0.9 }).slotNames).toEqual(['meanSquare', 'buffer']);
  });

  it('saved and restored into a new optimizer continues bit for bit', () => {
    for (const make of [() => new Adam({ learningRate: 0.01 }), () => new SGD({ momentum: 0.9 }), () => new RMSprop({ momentum: 0.5 })]) {
      const a = make();
      const pa = makeParams();
      for (let t = 0; t < 2; t++) {
        setGrads(pa, t);
        a.applyGradients(pa);
      }
      const saved = a.getState();
      // getState hands out copies: scribbling on them changes nothing.
      const snapshot = saved.slots['dense/kernel']![a.slotNames[0]!]!.toArray();
      const b = make();
      b.setState(saved);
      saved.slots['dense/kernel']![a.slotNames[0]!]!.data.fill(123);
      expect(a.getState().slots['dense/kernel']![a.slotNames[0]!]!.toArray()).toEqual(snapshot);
      const pb = pa.map(({ key, param }) => ({ key, param: new Param(param.name, tensor(param.value.toArray(), { dtype: 'float64' })) }));
      for (let t = 2; t < 4; t++) {
        setGrads(pa, t);
        setGrads(pb, t);
        a.applyGradients(pa);
        b.applyGradients(pb);
      }
      expect(b.iterations).toBe(4);
      pa.forEach(({ param }, i) => expect(Array.from(pb[i]!.param.value.data)).toEqual(Array.from(param.value.data)));
    }
  });

  it('rejects a bad state and keeps the old one', () => {
    const opt = new Adam();
    const params = makeParams();
    setGrads(params, 0);
    opt.applyGradients(params);
    const before = opt.getState();
    const m = zeros([3, 4], { dtype: 'float64' });
    const v = zeros([3, 4], { dtype: 'float64' });
    expect(() => opt.setState({ step: -1, slots: {} })).toThrow(/Adam.setState: step must be an integer >= 0, got -1/);
    expect(() => opt.setState({ step: 1, slots: { 'dense/kernel': { m } } })).toThrow(/Adam keeps m, v \(missing v\)/);
    expect(() => opt.setState({ step: 1, slots: { 'dense/kernel': { m, v, velocity: v } } })).toThrow(/\(unexpected velocity\)/);
    expect(() => opt.setState({ step: 1, slots: { 'dense/kernel': { m, v: zeros([4], { dtype: 'float64' }) } } })).toThrow(ShapeError);
    expect(() => opt.setState({ step: 1, slots: { 'dense/kernel': { m, v: [1, 2] as never } } })).toThrow(/slots\["dense\/kernel"\].v must be a Tensor/);
    // Shapes consistent among themselves but not with the parameter already trained.
    expect(() =>
      opt.setState({ step: 1, slots: { 'dense/bias': { m: zeros([2], { dtype: 'float64' }), v: zeros([2], { dtype: 'float64' }) } } }),
    ).toThrow(/state for "dense\/bias" is \[2\] float64 but the parameter is \[4\] float64/);
    expect(() => opt.setState({ step: 1, slots: {}, extra: 1 } as never)).toThrow(/unknown state key "extra"/);
    const after = opt.getState();
    expect(after.step).toBe(before.step);
    expect(after.slots['dense/kernel']!.m!.toArray()).toEqual(before.slots['dense/kernel']!.m!.toArray());
  });

  it('state loaded before the first step must fit the parameters it meets', () => {
    const opt = new SGD({ momentum: 0.9 });
    opt.setState({ step: 3, slots: { 'dense/kernel': { velocity: zeros([2, 2], { dtype: 'float64' }) } } });
    const params = makeParams();
    setGrads(params, 0);
    expect(() => opt.applyGradients(params)).toThrow(/state for "dense\/kernel" is \[2,2\] float64 but the parameter is \[3,4\] float64/);
  });

  it('is an Optimizer', () => {
    expect(new RMSprop()).toBeInstanceOf(Optimizer);
  });
});
