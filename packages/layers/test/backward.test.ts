import { ACTIVATION_OPS, activationSpec, setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { DTypeError, Rng, ShapeError, ValueError, randn, tensor, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIVATION_LAYERS,
  ELU,
  Dense,
  LeakyReLU,
  ReLU,
  Sigmoid,
  Softmax,
  ACTIVATION_NAMES,
  type DenseOptions,
  type Layer,
} from '@scratchnet/layers';
import { checkLayerGradients, compareGradients, type LayerGradientCheck } from '@scratchnet/layers/testing';

beforeAll(() => {
  setBackend(new CpuBackend());
});

const TOL = 1e-6;

function expectGradsMatch(result: LayerGradientCheck, paramNames: string[]): void {
  expect(result.dx.relError).toBeLessThan(TOL);
  expect(result.dx.scale).toBeGreaterThan(0);
  expect(Object.keys(result.params)).toEqual(paramNames);
  for (const name of paramNames) {
    expect(result.params[name]!.relError, name).toBeLessThan(TOL);
    expect(result.params[name]!.scale, name).toBeGreaterThan(0);
  }
}

/**
 * A float64 Dense with a random kernel and (when used) a random, non-zero bias. Kernel, bias
 * and inputs (see `smallRandn`) are scaled so pre-activations are O(1): a saturated sigmoid or
 * tanh has gradients near 1e-6, where finite differences measure mostly their own rounding.
 */
function randomDense(inputSize: number, units: number, options: Omit<DenseOptions, 'units' | 'inputSize'>, seed: number): Dense {
  const layer = new Dense(inputSize, units, { ...options, dtype: 'float64', kernelInitializer: 'glorotNormal', rng: new Rng(seed) });
  if (layer.bias) layer.bias.data.set(smallRandn([units], seed + 1).data);
  return layer;
}

function smallRandn(shape: number[], seed: number): Tensor<'float64'> {
  const t = randn(shape, { dtype: 'float64', rng: new Rng(seed) });
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! * 0.5;
  return t;
}

// [batch, inputSize, units]: batch 1, single units, odd sizes.
const DENSE_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 5, 3],
  [3, 7, 5],
  [6, 4, 9],
];

describe('Dense backward matches central finite differences (float64)', () => {
  for (const activation of ACTIVATION_NAMES) {
    for (const [batch, inputSize, units] of DENSE_SHAPES) {
      if (activation === 'softmax' && units === 1) continue; // softmax of one unit is constant 1: zero gradients
      it(`${activation}, x [${batch},${inputSize}] -> ${units} units`, () => {
        const layer = randomDense(inputSize, units, { activation }, batch * 100 + units);
        const x = smallRandn([batch, inputSize], inputSize);
        expectGradsMatch(checkLayerGradients(layer, x, { rng: new Rng(7) }), ['kernel', 'bias']);
      });
    }
  }

  for (const [batch, inputSize, units] of DENSE_SHAPES.slice(1)) {
    it(`without bias (relu), x [${batch},${inputSize}] -> ${units} units`, () => {
      const layer = randomDense(inputSize, units, { activation: 'relu', useBias: false }, 3);
      const x = randn([batch, inputSize], { dtype: 'float64', rng: new Rng(4) });
      expectGradsMatch(checkLayerGradients(layer, x, { rng: new Rng(5) }), ['kernel']);
    });
  }

  it('computes the textbook gradients: dW = xᵀ dy, db = Σ dy, dx = dy Wᵀ (linear)', () => {
    const layer = new Dense(2, 3, { dtype: 'float64' });
    layer.kernel!.data.set([1, 2, 3, 4, 5, 6]);
    layer.bias!.data.set([0.5, -0.5, 1]);
    const x = tensor([[1, -1], [2, 0.5]], { dtype: 'float64' });
    layer.forward(x, { training: true });
    const dy = tensor([[1, 0, -1], [0.5, 2, 1]], { dtype: 'float64' });
    const dx = layer.backward(dy);
    // dx[i][k] = Σ_j dy[i][j] W[k][j]
    expect(dx.toArray()).toEqual([[1 - 3, 4 - 6], [0.5 + 4 + 3, 2 + 10 + 6]]);
    expect(layer.params()[0]!.grad.toArray()).toEqual([[1 + 1, 0 + 4, -1 + 2], [-1 + 0.25, 0 + 1, 1 + 0.5]]);
    expect(layer.params()[1]!.grad.toArray()).toEqual([1.5, 2, 0]);
  });
});

describe('activation layers backward matches central finite differences (float64)', () => {
  const layers: [string, () => Layer][] = [
    // Every elementwise activation of the spec, with its defaults…
    ...ACTIVATION_OPS.map((op): [string, () => Layer] => [activationSpec(op).layerClass, () => new ACTIVATION_LAYERS[op]()]),
    // …and other parameters.
    ['LeakyReLU (alpha 0.05)', () => new LeakyReLU({ alpha: 0.05 })],
    ['ELU (alpha 0.5)', () => new ELU({ alpha: 0.5 })],
    ['ELU (alpha 2)', () => new ELU({ alpha: 2 })],
    ['Softmax', () => new Softmax()],
  ];
  const shapes = [[1, 1], [1, 6], [4, 3], [5, 7], [2, 3, 4]];
  for (const [label, make] of layers) {
    for (const shape of shapes) {
      if (label === 'Softmax' && shape[shape.length - 1] === 1) continue; // constant output
      it(`${label} on [${shape.join(',')}]`, () => {
        const x = randn(shape, { dtype: 'float64', rng: new Rng(shape.reduce((a, b) => a * b)) });
        expectGradsMatch(checkLayerGradients(make(), x, { rng: new Rng(8) }), []);
      });
    }
  }

  it('ReLU and LeakyReLU take the x <= 0 branch at exactly 0', () => {
    const x = tensor([[0, 1, -1]], { dtype: 'float64' });
    const dy = tensor([[2, 2, 2]], { dtype: 'float64' });
    const relu = new ReLU();
    relu.forward(x, { training: true });
    expect(relu.backward(dy).toArray()).toEqual([[0, 2, 0]]);
    const leaky = new LeakyReLU({ alpha: 0.5 });
    leaky.forward(x, { training: true });
    expect(leaky.backward(dy).toArray()).toEqual([[1, 2, 1]]);
  });
});

describe('backward contract', () => {
  it('parameter gradients accumulate across backward calls until zeroGrads', () => {
    const layer = randomDense(4, 3, { activation: 'tanh' }, 1);
    const x = randn([5, 4], { dtype: 'float64', rng: new Rng(2) });
    const dy = randn([5, 3], { dtype: 'float64', rng: new Rng(3) });
    layer.forward(x, { training: true });
    layer.backward(dy);
    const once = layer.params().map((p) => Float64Array.from(p.grad.data));
    layer.backward(dy);
    layer.params().forEach((p, i) => {
      const twice = Array.from(once[i]!, (v) => 2 * v);
      expect(compareGradients(p.grad.data, twice).relError).toBeLessThan(1e-15);
    });
    layer.zeroGrads();
    for (const p of layer.params()) expect(Array.from(p.grad.data).every((v) => v === 0)).toBe(true);
  });

  it('inputGrad: false skips dx (returns null) and still accumulates the same parameter gradients', () => {
    const make = () => randomDense(6, 4, { activation: 'relu' }, 9);
    const x = randn([3, 6], { dtype: 'float64', rng: new Rng(10) });
    const dy = randn([3, 4], { dtype: 'float64', rng: new Rng(11) });
    const full = make();
    full.forward(x, { training: true });
    expect(full.backward(dy, { inputGrad: true })).not.toBeNull();
    const skip = make();
    skip.forward(x, { training: true });
    expect(skip.backward(dy, { inputGrad: false })).toBeNull();
    skip.params().forEach((p, i) => expect(Array.from(p.grad.data)).toEqual(Array.from(full.params()[i]!.grad.data)));
    const dyx = randn([3, 6], { dtype: 'float64', rng: new Rng(12) });
    for (const layer of [new ReLU(), new Sigmoid(), new Softmax()]) {
      layer.forward(x, { training: true });
      expect(layer.backward(dyx, { inputGrad: false })).toBeNull();
      expect(layer.backward(dyx)?.shape).toEqual([3, 6]);
    }
  });

  it('backward works in float32 and agrees with float64 to float32 precision', () => {
    const l64 = randomDense(5, 4, { activation: 'sigmoid' }, 12);
    const l32 = new Dense(5, 4, { activation: 'sigmoid', rng: new Rng(0) });
    l32.kernel!.data.set(l64.kernel!.data);
    l32.bias!.data.set(l64.bias!.data);
    const x = randn([3, 5], { dtype: 'float64', rng: new Rng(13) });
    const dy = randn([3, 4], { dtype: 'float64', rng: new Rng(14) });
    l64.forward(x, { training: true });
    l32.forward(tensor(Array.from(x.data), { shape: [3, 5] }), { training: true });
    const dx64 = l64.backward(dy);
    const dx32 = l32.backward(tensor(Array.from(dy.data), { shape: [3, 4] }));
    expect(dx32.dtype).toBe('float32');
    expect(compareGradients(dx32.data, dx64.data).relError).toBeLessThan(1e-6);
    expect(compareGradients(l32.params()[0]!.grad.data, l64.params()[0]!.grad.data).relError).toBeLessThan(1e-6);
  });

  it('rejects a dy that does not match the last training output, naming the layer', () => {
    const dense = new Dense(3, 2, { name: 'd', dtype: 'float64' });
    dense.forward(tensor([[1, 2, 3]], { dtype: 'float64' }), { training: true });
    expect(() => dense.backward(tensor([[1, 2, 3]], { dtype: 'float64' }))).toThrow(ShapeError);
    expect(() => dense.backward(tensor([[1, 2, 3]], { dtype: 'float64' }))).toThrow(
      "Dense 'd'.backward: dy has shape [1,3], expected [1,2] (the output of the last training forward)",
    );
    expect(() => dense.backward(tensor([[1, 2]]))).toThrow(DTypeError);
    expect(() => dense.backward('dy' as unknown as Tensor)).toThrow(ValueError);
    const relu = new ReLU({ name: 'r' });
    expect(() => relu.backward(tensor([[1]]))).toThrow("ReLU 'r'.backward: call forward(x, { training: true }) first");
    relu.forward(tensor([[1, 2]]));
    expect(() => relu.backward(tensor([[1, 2]]))).toThrow(/call forward\(x, \{ training: true \}\) first/);
  });
});
