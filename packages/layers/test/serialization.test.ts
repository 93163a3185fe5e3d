import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Rng, ValueError, getGlobalRng, randn, seed, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ELU,
  ActivationLayer,
  Dense,
  Dropout,
  activationFn,
  LeakyReLU,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
  layerFromConfig,
  registerLayer,
  registeredLayerClasses,
  type Layer,
  type LayerConfig,
} from '@scratchnet/layers';

beforeAll(() => {
  setBackend(new CpuBackend());
});

/** Copies every parameter of `from` into the same-named parameter of `to`. */
function copyParams(from: Layer, to: Layer): void {
  const target = new Map(to.params().map((p) => [p.name, p]));
  for (const p of from.params()) target.get(p.name)!.value.data.set(p.value.data);
}

function rebuild(layer: Layer): Layer {
  // Through JSON, as a manifest stores it.
  return layerFromConfig(layer.className, JSON.parse(JSON.stringify(layer.getConfig())) as unknown);
}


const examples: [string, () => Layer][] = [
  ['Dense (built, float64, tanh)', () => new Dense(4, 3, { activation: 'tanh', dtype: 'float64', name: 'd', rng: new Rng(1) })],
  ['Dense (built, float32, no bias)', () => new Dense(5, 2, { useBias: false, kernelInitializer: 'glorotUniform', rng: new Rng(2) })],
  ['Dense (unbuilt)', () => new Dense({ units: 7, activation: 'softmax', biasInitializer: 'ones' })],
  ['ReLU', () => new ReLU({ name: 'r' })],
  ['LeakyReLU', () => new LeakyReLU({ alpha: 0.125 })],
  ['ELU (default alpha)', () => new ELU()],
  ['ELU', () => new ELU({ alpha: 0.5, name: 'e' })],
  ['Dense (elu)', () => new Dense(3, 2, { activation: 'elu', rng: new Rng(9) })],
  ['Sigmoid', () => new Sigmoid()],
  ['Tanh', () => new Tanh()],
  ['Softmax', () => new Softmax({ name: 'probs' })],
  ['Dropout (seeded)', () => new Dropout({ rate: 0.25, seed: 7, name: 'drop' })],
  ['Dropout (unseeded)', () => new Dropout({ rate: 0.5 })],
];

describe('layerFromConfig', () => {
  for (const [label, make] of examples) {
    it(`rebuilds ${label} with an identical config`, () => {
      const layer = make();
      const copy = rebuild(layer);
      expect(copy).toBeInstanceOf(layer.constructor);
      expect(copy.className).toBe(layer.className);
      expect(copy.getConfig()).toEqual(layer.getConfig());
      expect(copy.params().map((p) => [p.name, p.value.shape, p.value.dtype])).toEqual(
        layer.params().map((p) => [p.name, p.value.shape, p.value.dtype]),
      );
    });
  }

  it('a rebuilt Dense given the same weights computes bitwise the same outputs', () => {
    const layer = new Dense(6, 4, { activation: 'relu', dtype: 'float64', rng: new Rng(3) });
    const copy = rebuild(layer);
    copyParams(layer, copy);
    const x = randn([5, 6], { dtype: 'float64', rng: new Rng(4) });
    expect(Array.from(copy.forward(x).data)).toEqual(Array.from(layer.forward(x).data));
  });

  it('a rebuilt LeakyReLU keeps its slope', () => {
    const x = randn([3, 4], { rng: new Rng(5) }) as Tensor;
    const layer = new LeakyReLU({ alpha: 0.01 });
    expect(Array.from(rebuild(layer).forward(x).data)).toEqual(Array.from(layer.forward(x).data));
  });

  it('a rebuilt seeded Dropout draws the same masks', () => {
    const x = randn([4, 6], { rng: new Rng(6) }) as Tensor;
    const layer = new Dropout({ rate: 0.5, seed: 11 });
    const copy = rebuild(layer);
    expect(Array.from(copy.forward(x, { training: true }).data)).toEqual(Array.from(layer.forward(x, { training: true }).data));
  });

  it('does not advance the global Rng (building weights that a loader overwrites)', () => {
    seed(42);
    const before = getGlobalRng().getState();
    layerFromConfig('Dense', { name: 'dense', units: 64, inputSize: 32, activation: 'relu' });
    expect(getGlobalRng().getState()).toEqual(before);
  });

  it('refuses an unknown class, naming it and the known ones', () => {
    expect(() => layerFromConfig('Conv3D', { name: 'conv' })).toThrow(ValueError);
    expect(() => layerFromConfig('Conv3D', { name: 'conv' })).toThrow(/unknown layer class "Conv3D"; known classes are Dense, ReLU/);
    // Inherited properties of a plain object are not classes.
    expect(() => layerFromConfig('toString', { name: 'x' })).toThrow(/unknown layer class "toString"/);
    expect(() => layerFromConfig('__proto__', { name: 'x' })).toThrow(/unknown layer class "__proto__"/);
  });

  it('refuses unknown, missing and ill-typed config entries, naming the key', () => {
    expect(() => layerFromConfig('Dense', { name: 'd', units: 3, kernelRegularizer: 'l2' })).toThrow(
      /Dense config has unknown key "kernelRegularizer"/,
    );
    expect(() => layerFromConfig('Dense', { name: 'd' })).toThrow(/Dense config is missing "units"/);
    expect(() => layerFromConfig('Dense', { name: 'd', units: -3 })).toThrow(/units must be a positive integer, got -3/);
    expect(() => layerFromConfig('Dense', { name: 'd', units: 3, useBias: 'yes' })).toThrow(/useBias must be true or false, got "yes"/);
    expect(() => layerFromConfig('Dense', { name: 'd', units: 3, activation: 'gelu' })).toThrow(/unknown activation "gelu"/);
    expect(() => layerFromConfig('Dense', { name: 'd', units: 3, dtype: 'int32' })).toThrow(/dtype must be float32 or float64/);
    expect(() => layerFromConfig('ReLU', { name: 'r', maxValue: 6 })).toThrow(/ReLU config has unknown key "maxValue"/);
    expect(() => layerFromConfig('LeakyReLU', { name: 'l', alpha: -1 })).toThrow(/alpha must be a finite number >= 0, got -1/);
    expect(() => layerFromConfig('ReLU', {})).toThrow(/ReLU config.name must be a non-empty string, got undefined/);
    expect(() => layerFromConfig('ReLU', null)).toThrow(/ReLU config must be an object, got null/);
    expect(() => layerFromConfig('ReLU', [])).toThrow(/ReLU config must be an object, got an array/);
  });

  it('reads only own keys: a __proto__ key from JSON is an unknown key, and nothing is polluted', () => {
    const config = JSON.parse('{"name":"r","__proto__":{"polluted":true}}') as unknown;
    expect(() => layerFromConfig('ReLU', config)).toThrow(/unknown key "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const inherited = Object.create({ units: 3 }) as Record<string, unknown>;
    inherited.name = 'd';
    expect(() => layerFromConfig('Dense', inherited)).toThrow(/missing "units"/);
  });
});

/** A user-defined layer: identity, parameter-free. */
class Scale extends ActivationLayer {
  readonly className = 'Scale';
  protected readonly fn = activationFn('Scale', 'linear');
}

describe('registerLayer', () => {
  it('teaches layerFromConfig a new class, and refuses a second registration unless replacing', () => {
    const factory = (config: LayerConfig) => new Scale({ name: config.name });
    registerLayer('Scale', factory);
    expect(registeredLayerClasses()).toContain('Scale');
    const layer = layerFromConfig('Scale', { name: 'scale' });
    expect(layer).toBeInstanceOf(Scale);
    expect(layer.name).toBe('scale');
    expect(() => registerLayer('Scale', factory)).toThrow(/Scale is already registered; pass \{ replace: true \}/);
    expect(() => registerLayer('Dense', factory)).toThrow(/Dense is already registered/);
    registerLayer('Scale', factory, { replace: true });
    expect(layerFromConfig('Scale', { name: 's2' }).name).toBe('s2');
  });

  it('refuses a bad name or factory, and a factory that builds another class', () => {
    expect(() => registerLayer('', () => new ReLU())).toThrow(/className must be a non-empty string/);
    expect(() => registerLayer('X', 'nope' as never)).toThrow(/factory for X must be a function, got "nope"/);
    registerLayer('Liar', (config) => new ReLU({ name: config.name }));
    expect(() => layerFromConfig('Liar', { name: 'l' })).toThrow(/factory registered for Liar returned a ReLU/);
  });
});
