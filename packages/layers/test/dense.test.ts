import { add, setBackend, sum } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { AllocationError, DTypeError, Rng, ShapeError, ValueError, seed, tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, type ActivationName } from '@scratchnet/layers';
import { fixture, maxAbsDiff } from './helpers.js';

const f = fixture<{ dense: { x: number[][]; kernel: number[][]; bias: number[]; outputs: Record<string, number[][]> } }>('layers.json');

beforeAll(() => {
  setBackend(new CpuBackend());
});

function withWeights(layer: Dense): Dense {
  layer.kernel!.data.set(f.dense.kernel.flat());
  layer.bias!.data.set(f.dense.bias);
  return layer;
}

describe('Dense', () => {
  for (const activation of Object.keys(f.dense.outputs) as ActivationName[]) {
    it(`forward with ${activation} matches NumPy (float64)`, () => {
      const layer = withWeights(new Dense(4, 3, { activation, dtype: 'float64' }));
      const y = layer.forward(tensor(f.dense.x, { dtype: 'float64' }));
      expect(y.shape).toEqual([5, 3]);
      expect(maxAbsDiff(y.toArray(), f.dense.outputs[activation])).toBeLessThan(1e-12);
    });
  }

  it('forward in float32 matches NumPy to float32 precision', () => {
    const layer = withWeights(new Dense(4, 3, { activation: 'tanh' }));
    const y = layer.forward(tensor(f.dense.x));
    expect(maxAbsDiff(y.toArray(), f.dense.outputs.tanh)).toBeLessThan(1e-6);
  });

  it('without bias computes x @ kernel only', () => {
    const layer = new Dense(4, 3, { useBias: false, dtype: 'float64' });
    layer.kernel!.data.set(f.dense.kernel.flat());
    expect(layer.params().map((p) => p.name)).toEqual(['kernel']);
    expect(layer.countParams()).toBe(12);
    const y = layer.forward(tensor(f.dense.x, { dtype: 'float64' }));
    const withBias = add(y, tensor(f.dense.bias, { dtype: 'float64' }));
    expect(maxAbsDiff(withBias.toArray(), f.dense.outputs.linear)).toBeLessThan(1e-12);
  });

  it('builds lazily from the first input and draws He-normal weights from the given Rng', () => {
    const lazy = new Dense({ units: 3, dtype: 'float64', rng: new Rng(11) });
    expect(lazy.built).toBe(false);
    lazy.forward(tensor([[1, 2, 3, 4]], { dtype: 'float64' }));
    const eager = new Dense(4, 3, { dtype: 'float64', rng: new Rng(11) });
    expect(lazy.kernel!.toArray()).toEqual(eager.kernel!.toArray());
    expect(Array.from(lazy.bias!.data)).toEqual([0, 0, 0]);
  });

  it('seed(42) then Dense(3, 8) gives the lesson weights: randn(3, 8) * sqrt(2/3)', () => {
    seed(42);
    const layer = new Dense(3, 8, { dtype: 'float64' });
    const rng = new Rng(42);
    const expected = Array.from({ length: 24 }, () => rng.randn() * Math.sqrt(2 / 3));
    expect(Array.from(layer.kernel!.data)).toEqual(expected);
  });

  it('exposes kernel [in, units] and bias [units] as params with zeroed grads', () => {
    const layer = new Dense(5, 2);
    expect(layer.params().map((p) => [p.name, p.value.shape, Array.from(sum(p.grad).data)])).toEqual([
      ['kernel', [5, 2], [0]],
      ['bias', [2], [0]],
    ]);
    expect(layer.countParams()).toBe(12);
    expect(layer.computeOutputShape([null, 5])).toEqual([null, 2]);
  });

  it('getConfig is plain JSON describing the layer', () => {
    const layer = new Dense({ units: 4, inputSize: 2, activation: 'relu', name: 'hidden' });
    expect(JSON.parse(JSON.stringify(layer.getConfig()))).toEqual({
      name: 'hidden',
      units: 4,
      inputSize: 2,
      activation: 'relu',
      useBias: true,
      kernelInitializer: 'heNormal',
      biasInitializer: 'zeros',
      dtype: 'float32',
    });
  });

  it('rejects bad construction with typed errors naming the value', () => {
    expect(() => new Dense({ units: 0 })).toThrow(ValueError);
    expect(() => new Dense({ units: 2.5 })).toThrow(/units must be a positive integer, got 2.5/);
    expect(() => new Dense(3, 4, { activation: 'gelu' as ActivationName })).toThrow(/unknown activation "gelu"/);
    expect(() => new Dense({ units: 2, dtype: 'int32' as 'float32' })).toThrow(DTypeError);
  });

  it('new Dense(16), the Keras habit, names both signatures', () => {
    expect(() => new (Dense as unknown as new (units: number) => Dense)(16)).toThrow(
      new ValueError(
        "Dense: one number (16) is not enough; write new Dense(inputSize, units) as the lesson does, or new Dense({ units: 16 }) for Keras's Dense(16) (input size taken from the first batch)",
      ),
    );
  });

  it('a kernel too large to allocate is an AllocationError naming its shape and bytes, not a RangeError', () => {
    let caught: unknown;
    try {
      new Dense(2 ** 31, 2 ** 31);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AllocationError);
    expect((caught as Error).message).toMatch(/ tensor of shape \[2147483648,2147483648\] needs \d+ bytes \([\d.]+ EiB\)/);
  });

  it('rejects inputs of the wrong shape or dtype, naming the layer and the shape', () => {
    const layer = new Dense({ units: 2, inputSize: 3, name: 'd' });
    expect(() => layer.forward(tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => layer.forward(tensor([[1, 2]]))).toThrow("Dense 'd': expected 3 input features, got input of shape [1,2]");
    expect(() => layer.forward(tensor([1, 2, 3]))).toThrow(/expected input of rank 2/);
    expect(() => layer.forward(tensor([[1, 2, 3]], { dtype: 'float64' }))).toThrow(DTypeError);
  });

  it('backward before a training forward is a clear error', () => {
    const layer = new Dense(2, 2);
    expect(() => layer.backward(tensor([[1, 1]]))).toThrow(/call forward\(x, \{ training: true \}\) first/);
  });
});
