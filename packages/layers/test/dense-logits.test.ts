import { setBackend, softmax } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { Rng, randn } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '@scratchnet/layers';

beforeAll(() => {
  setBackend(new CpuBackend());
});

describe('Dense logits mode', () => {
  it('forward with logits skips the activation; softmax of it is the normal output', () => {
    const layer = new Dense(4, 3, { activation: 'softmax', dtype: 'float64', rng: new Rng(1) });
    const x = randn([5, 4], { dtype: 'float64', rng: new Rng(2) });
    const z = layer.forward(x, { logits: true });
    expect(softmax(z).toArray()).toEqual(layer.forward(x).toArray());
  });

  it('backward with logits equals the linear layer backward on the same weights', () => {
    const soft = new Dense(4, 3, { activation: 'softmax', dtype: 'float64', rng: new Rng(1) });
    const linear = new Dense(4, 3, { dtype: 'float64', rng: new Rng(1) });
    const x = randn([5, 4], { dtype: 'float64', rng: new Rng(2) });
    const dz = randn([5, 3], { dtype: 'float64', rng: new Rng(3) });
    soft.forward(x, { training: true, logits: true });
    linear.forward(x, { training: true });
    const dxSoft = soft.backward(dz, { logits: true }).toArray();
    expect(dxSoft).toEqual(linear.backward(dz).toArray());
    expect(soft.params().map((p) => p.grad.toArray())).toEqual(linear.params().map((p) => p.grad.toArray()));
  });

  it('a backward whose logits flag differs from the training forward is an error', () => {
    const layer = new Dense(2, 2, { activation: 'softmax' });
    const x = randn([1, 2]);
    layer.forward(x, { training: true, logits: true });
    expect(() => layer.backward(randn([1, 2]))).toThrow(/logits is false but the training forward ran with logits true/);
  });
});
