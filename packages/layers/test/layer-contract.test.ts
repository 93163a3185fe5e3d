import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Rng, ShapeError, getGlobalRng, randn, seed, tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, Dropout, Flatten, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh, layerFromConfig, type Layer } from '@scratchnet/layers';
import { checkLayerGradients } from '@scratchnet/layers/testing';

beforeAll(() => {
  setBackend(new CpuBackend());
});

const everyLayer = (): Layer[] => [
  new Dense({ units: 3, dtype: 'float64', rng: new Rng(1) }),
  new ReLU(),
  new LeakyReLU(),
  new Sigmoid(),
  new Tanh(),
  new Softmax(),
  new Dropout({ rate: 0.5, seed: 1 }),
  new Flatten(),
];

describe('build(inputShape), built and inputShape', () => {
  it('every layer starts unbuilt and is built by build(), recording the shape with the batch unknown', () => {
    for (const layer of everyLayer()) {
      expect(layer.built, layer.className).toBe(false);
      expect(layer.inputShape).toBeUndefined();
      layer.build([32, 5]);
      expect(layer.built, layer.className).toBe(true);
      expect(layer.inputShape).toEqual([null, 5]);
    }
  });

  it('the first forward builds a layer from its input', () => {
    for (const layer of everyLayer()) {
      layer.forward(randn([2, 5], { dtype: 'float64', rng: new Rng(2) }));
      expect(layer.built, layer.className).toBe(true);
      expect(layer.inputShape).toEqual([null, 5]);
    }
  });

  it('building again does nothing: parameters are created once', () => {
    const dense = new Dense({ units: 2, rng: new Rng(3) });
    dense.build([null, 4]);
    const kernel = dense.kernel;
    dense.build([null, 4]);
    expect(dense.kernel).toBe(kernel);
    expect(dense.params()).toHaveLength(2);
  });

  it('a shape the layer cannot take is a ShapeError, and leaves the layer unbuilt', () => {
    const dense = new Dense({ units: 2, name: 'd' });
    expect(() => dense.build([null, 2, 3])).toThrow(new ShapeError("Dense 'd': expected inputs [batch, features], got shape (None, 2, 3)"));
    expect(() => dense.build([null, null])).toThrow(ShapeError);
    expect(dense.built).toBe(false);
    expect(() => new ReLU({ name: 'r' }).build([] as never)).toThrow(/ReLU 'r'.build: expected a shape with a batch axis such as \[null, 8\], got \[\]/);
    expect(() => new ReLU({ name: 'r' }).build([null, -1])).toThrow(/dimension 1 of \[null,-1\] must be an integer >= 0 or null/);
    expect(() => new ReLU().build('x' as never)).toThrow(ShapeError);
  });

  it('Dense built with an inputSize draws its weights at construction, from its own Rng', () => {
    seed(5);
    const before = getGlobalRng().getState();
    const dense = new Dense(3, 2, { rng: new Rng(7) });
    expect(dense.built).toBe(true);
    expect(dense.inputShape).toEqual([null, 3]);
    expect(getGlobalRng().getState()).toEqual(before);
  });

  it('a loaded unbuilt Dense builds when given a shape', () => {
    const layer = layerFromConfig('Dense', { name: 'd', units: 4 });
    expect(layer.built).toBe(false);
    layer.build([null, 6]);
    expect(layer.params().map((p) => p.value.shape)).toEqual([[6, 4], [4]]);
  });
});

describe('shapes of any rank', () => {
  const nhwc = [null, 4, 5, 3] as const;

  it('shape-preserving layers pass an NHWC shape through computeOutputShape', () => {
    for (const layer of [new ReLU(), new LeakyReLU(), new Sigmoid(), new Tanh(), new Softmax(), new Dropout({ rate: 0.1 })]) {
      expect(layer.computeOutputShape(nhwc)).toEqual(nhwc);
    }
  });

  it('Flatten: [batch, h, w, c] -> [batch, h·w·c] in row-major order, a view both ways', () => {
    const flatten = new Flatten();
    expect(flatten.computeOutputShape(nhwc)).toEqual([null, 60]);
    expect(flatten.computeOutputShape([7])).toEqual([7, 1]);
    expect(() => flatten.computeOutputShape([null, null, 3])).toThrow(/unknown dimensions after the batch axis/);
    const x = tensor(Array.from({ length: 2 * 2 * 3 }, (_, i) => i), { shape: [2, 2, 3], dtype: 'float64' });
    const y = flatten.forward(x, { training: true });
    expect(y.toArray()).toEqual([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]);
    expect(y.storage).toBe(x.storage);
    const dy = randn([2, 6], { dtype: 'float64', rng: new Rng(4) });
    const dx = flatten.backward(dy);
    expect(dx.shape).toEqual([2, 2, 3]);
    expect(Array.from(dx.data)).toEqual(Array.from(dy.data));
    expect(flatten.backward(dy, { inputGrad: false })).toBeNull();
    expect(() => flatten.backward(randn([2, 5], { dtype: 'float64' }))).toThrow(/Flatten 'flatten'.backward: dy has shape \[2,5\], expected \[2,6\]/);
    expect(() => flatten.forward(tensor(3))).toThrow(/expected an input with a batch axis/);
  });

  it('Flatten and the elementwise layers pass finite-difference checks on NHWC inputs', () => {
    const x = randn([2, 3, 4, 2], { dtype: 'float64', rng: new Rng(9) });
    for (const layer of [new Flatten(), new Tanh(), new Softmax()]) {
      const result = checkLayerGradients(layer, x, { rng: new Rng(10) });
      expect(result.dx.relError, layer.className).toBeLessThan(1e-6);
      expect(result.dx.scale).toBeGreaterThan(0);
    }
  });

  it('Flatten then Dense trains on images: shapes and gradients flow', () => {
    const flatten = new Flatten();
    const dense = new Dense({ units: 3, dtype: 'float64', rng: new Rng(11) });
    const x = randn([5, 2, 2, 3], { dtype: 'float64', rng: new Rng(12) });
    dense.build(flatten.computeOutputShape([null, 2, 2, 3]));
    expect(dense.inputSize).toBe(12);
    const y = dense.forward(flatten.forward(x, { training: true }), { training: true });
    expect(y.shape).toEqual([5, 3]);
    const dx = flatten.backward(dense.backward(randn([5, 3], { dtype: 'float64', rng: new Rng(13) })));
    expect(dx.shape).toEqual([5, 2, 2, 3]);
  });
});
