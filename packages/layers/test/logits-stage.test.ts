import { setBackend, softmax } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Rng, randn } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, Dropout, Flatten, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh, identityStage, type Layer } from '@scratchnet/layers';

beforeAll(() => {
  setBackend(new CpuBackend());
});

describe('what a layer says its output is', () => {
  it('outputKind: softmax and sigmoid outputs are probabilities, the rest other', () => {
    const kinds = (layers: Layer[]) => layers.map((l) => l.outputKind);
    expect(kinds([new Softmax(), new Sigmoid(), new ReLU(), new LeakyReLU(), new Tanh(), new Dropout({ rate: 0.5 }), new Flatten()])).toEqual([
      'softmax', 'sigmoid', 'other', 'other', 'other', 'other', 'other',
    ]);
    expect(kinds(['softmax', 'sigmoid', 'linear', 'relu', 'tanh', 'leaky_relu'].map((activation) => new Dense({ units: 2, activation } as never)))).toEqual([
      'softmax', 'sigmoid', 'other', 'other', 'other', 'other',
    ]);
  });

  it('only layers ending in a softmax or sigmoid offer a logits stage', () => {
    expect(new Softmax().logitsStage()).toBe(identityStage);
    expect(new Sigmoid().logitsStage()).toBe(identityStage);
    expect(new ReLU().logitsStage()).toBeUndefined();
    expect(new Dense({ units: 2 }).logitsStage()).toBeUndefined();
    const dense = new Dense({ units: 2, activation: 'softmax' });
    expect(dense.logitsStage()).toBeDefined();
    expect(dense.logitsStage()).toBe(dense.logitsStage()); // one stage per layer, made once
  });
});

describe("Dense's logits stage", () => {
  it('forward computes x @ kernel + bias; softmax of it is the layer output', () => {
    const layer = new Dense(4, 3, { activation: 'softmax', dtype: 'float64', rng: new Rng(1) });
    const x = randn([5, 4], { dtype: 'float64', rng: new Rng(2) });
    const z = layer.logitsStage()!.forward(x);
    expect(softmax(z).toArray()).toEqual(layer.forward(x).toArray());
  });

  it('backward equals a linear layer backward on the same weights, accumulating into the same params', () => {
    const soft = new Dense(4, 3, { activation: 'softmax', dtype: 'float64', rng: new Rng(1) });
    const linear = new Dense(4, 3, { dtype: 'float64', rng: new Rng(1) });
    const x = randn([5, 4], { dtype: 'float64', rng: new Rng(2) });
    const dz = randn([5, 3], { dtype: 'float64', rng: new Rng(3) });
    const stage = soft.logitsStage()!;
    stage.forward(x, { training: true });
    linear.forward(x, { training: true });
    expect(stage.backward(dz)!.toArray()).toEqual(linear.backward(dz).toArray());
    expect(soft.params().map((p) => p.grad.toArray())).toEqual(linear.params().map((p) => p.grad.toArray()));
    expect(stage.backward(dz, { inputGrad: false })).toBeNull();
  });

  it('a backward through the other path than the training forward is an error', () => {
    const layer = new Dense(2, 2, { activation: 'softmax' });
    const x = randn([1, 2]);
    layer.logitsStage()!.forward(x, { training: true });
    expect(() => layer.backward(randn([1, 2]))).toThrow(/the last training forward ran through logitsStage\(\); run backward through that stage/);
    layer.forward(x, { training: true });
    expect(() => layer.logitsStage()!.backward(randn([1, 2]))).toThrow(/backward through logitsStage\(\) after a training forward through the layer itself/);
  });
});

describe('the identity stage (an activation layer’s logits are its input)', () => {
  it('passes x and dy through unchanged, and skips dx when asked', () => {
    const x = randn([2, 3]);
    expect(identityStage.forward(x, { training: true })).toBe(x);
    expect(identityStage.backward(x)).toBe(x);
    expect(identityStage.backward(x, { inputGrad: false })).toBeNull();
  });
});
