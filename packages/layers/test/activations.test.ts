import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { tensor, ValueError } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh, snakeCase } from '@scratchnet/layers';

beforeAll(() => {
  setBackend(new CpuBackend());
});

const x = [[-2, -0.5, 0, 0.5, 3]];

describe('activation layers', () => {
  it('ReLU is max(0, x)', () => {
    expect(new ReLU().forward(tensor(x, { dtype: 'float64' })).toArray()).toEqual([[0, 0, 0, 0.5, 3]]);
  });
  it('LeakyReLU scales negatives by alpha (0.3 by default, as Keras)', () => {
    expect(new LeakyReLU().forward(tensor(x, { dtype: 'float64' })).toArray()).toEqual([[-0.6, -0.15, 0, 0.5, 3]]);
    expect(new LeakyReLU({ alpha: 0.1 }).getConfig()).toEqual({ name: 'leaky_re_lu', alpha: 0.1 });
    expect(() => new LeakyReLU({ alpha: -1 })).toThrow(ValueError);
  });
  it('ELU is x for x > 0, else alpha * (e^x - 1) (alpha 1 by default, as Keras)', () => {
    const y = new ELU().forward(tensor(x, { dtype: 'float64' })).toArray() as number[][];
    expect(y[0]).toEqual(x[0]!.map((v) => (v > 0 ? v : Math.expm1(v))));
    const z = new ELU({ alpha: 0.5 }).forward(tensor(x, { dtype: 'float64' })).toArray() as number[][];
    expect(z[0]).toEqual(x[0]!.map((v) => (v > 0 ? v : 0.5 * Math.expm1(v))));
    expect(new ELU({ alpha: 0.5 }).getConfig()).toEqual({ name: 'elu', alpha: 0.5 });
    expect(new ELU().alpha).toBe(1);
    expect(() => new ELU({ alpha: -1 })).toThrow(new ValueError('ELU: alpha must be a finite number >= 0, got -1'));
  });
  it('Sigmoid and Tanh', () => {
    const s = new Sigmoid().forward(tensor(x, { dtype: 'float64' })).toArray() as number[][];
    const t = new Tanh().forward(tensor(x, { dtype: 'float64' })).toArray() as number[][];
    x[0]!.forEach((v, i) => {
      expect(s[0]![i]).toBeCloseTo(1 / (1 + Math.exp(-v)), 14);
      expect(t[0]![i]).toBeCloseTo(Math.tanh(v), 14);
    });
  });
  it('Softmax rows are probabilities, stable for huge logits', () => {
    const p = new Softmax().forward(tensor([[1000, 1000, -1000], [1, 2, 3]], { dtype: 'float64' })).toArray() as number[][];
    expect(p[0]).toEqual([0.5, 0.5, 0]);
    const e = [1, 2, 3].map((v) => Math.exp(v - 3));
    const z = e.reduce((a, b) => a + b);
    p[1]!.forEach((v, i) => expect(v).toBeCloseTo(e[i]! / z, 15));
  });
  it('keep the shape, have no params, and are named the Keras way', () => {
    const layer = new ReLU();
    expect(layer.computeOutputShape([null, 7])).toEqual([null, 7]);
    expect(layer.params()).toEqual([]);
    expect(snakeCase('LeakyReLU')).toBe('leaky_re_lu');
    // Keras's to_snake_case: a digit does not start a word.
    expect(['Conv2D', 'MaxPooling2D', 'GlobalAveragePooling2D', 'BatchNormalization', 'ELU', 'HTTPLayer'].map(snakeCase)).toEqual([
      'conv2d',
      'max_pooling2d',
      'global_average_pooling2d',
      'batch_normalization',
      'elu',
      'http_layer',
    ]);
    expect(new Softmax({ name: 'probs' }).name).toBe('probs');
  });
});
