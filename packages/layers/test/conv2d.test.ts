import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { DTypeError, Rng, ShapeError, ValueError, rand, randn, tensor, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Conv2D, ACTIVATION_NAMES, layerFromConfig, type Conv2DOptions } from '@scratchnet/layers';
import { checkLayerGradients } from '@scratchnet/layers/testing';
import { maxAbsDiff } from './helpers.js';
import { referenceConv, type Image4 } from './image-reference.js';

beforeAll(() => {
  setBackend(new CpuBackend());
});

const TOL = 1e-6;

function conv(options: Omit<Conv2DOptions, 'dtype' | 'rng'>, seed: number): Conv2D {
  return new Conv2D({ kernelInitializer: 'glorotNormal', biasInitializer: 'zeros', ...options, dtype: 'float64', rng: new Rng(seed) });
}

/** Inputs scaled so that pre-activations stay O(1) (a saturated tanh has gradients finite differences cannot see). */
function images(shape: number[], seed: number): Tensor<'float64'> {
  const t = randn(shape, { dtype: 'float64', rng: new Rng(seed) });
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! * 0.5;
  return t;
}

/** A random, non-zero bias, so that its gradient and its place in the forward pass both show. */
function withRandomBias(layer: Conv2D, x: Tensor): Conv2D {
  layer.build(x.shape);
  if (layer.bias) layer.bias.data.set(randn([layer.filters], { dtype: 'float64', rng: new Rng(99) }).data.map((v) => v * 0.3));
  return layer;
}

const CASES: { label: string; x: number[]; options: Omit<Conv2DOptions, 'dtype' | 'rng'> }[] = [
  { label: '3×3 valid', x: [2, 5, 6, 3], options: { filters: 4, kernelSize: 3 } },
  { label: '3×3 same', x: [2, 5, 5, 2], options: { filters: 3, kernelSize: 3, padding: 'same' } },
  { label: '2×2 same (even: one more row and column of padding below and right)', x: [1, 5, 4, 2], options: { filters: 2, kernelSize: 2, padding: 'same' } },
  { label: '1×1', x: [3, 3, 3, 4], options: { filters: 2, kernelSize: 1 } },
  { label: 'kernel as large as the input', x: [2, 4, 3, 2], options: { filters: 3, kernelSize: [4, 3] } },
  { label: 'strides 2, same', x: [2, 7, 6, 2], options: { filters: 3, kernelSize: 3, strides: 2, padding: 'same' } },
  { label: 'strides [3, 1] larger than the kernel', x: [1, 8, 5, 1], options: { filters: 2, kernelSize: [2, 3], strides: [3, 1] } },
  { label: 'dilation 2', x: [2, 7, 7, 2], options: { filters: 2, kernelSize: 3, dilationRate: 2 } },
  { label: 'dilation [1, 2], same', x: [1, 6, 7, 3], options: { filters: 2, kernelSize: [2, 3], dilationRate: [1, 2], padding: 'same' } },
  { label: 'no bias', x: [2, 5, 5, 2], options: { filters: 3, kernelSize: 3, useBias: false } },
];

describe('Conv2D forward is the convolution (a plain-loop reference, float64)', () => {
  for (const { label, x: shape, options } of CASES) {
    it(label, () => {
      const x = images(shape, 1);
      const layer = withRandomBias(conv(options, 2), x);
      const expected = referenceConv(x.toArray() as Image4, layer.kernel!.toArray() as Image4, layer.bias ? Array.from(layer.bias.data) : null, {
        size: layer.kernelSize as [number, number],
        strides: layer.strides as [number, number],
        dilations: layer.dilationRate as [number, number],
        padding: layer.padding,
      });
      const y = layer.forward(x);
      expect(y.shape).toEqual(layer.computeOutputShape(x.shape));
      expect(maxAbsDiff(y.toArray(), expected)).toBeLessThan(1e-12);
      // Training mode computes the same numbers (into the layer's buffers).
      expect(maxAbsDiff(layer.forward(x, { training: true }).toArray(), expected)).toBeLessThan(1e-12);
    });
  }

  it('applies the activation after the bias', () => {
    const x = images([2, 4, 4, 1], 3);
    const linear = withRandomBias(conv({ filters: 2, kernelSize: 3 }, 4), x);
    const relu = withRandomBias(conv({ filters: 2, kernelSize: 3, activation: 'relu' }, 4), x);
    const z = linear.forward(x).data;
    expect(Array.from(relu.forward(x).data)).toEqual(Array.from(z, (v) => Math.max(v, 0)));
    expect(Array.from(z).some((v) => v < 0)).toBe(true);
  });
});

describe('Conv2D backward matches central finite differences (float64)', () => {
  for (const { label, x: shape, options } of CASES) {
    it(label, () => {
      const x = images(shape, 5);
      const layer = withRandomBias(conv({ ...options, activation: 'tanh' }, 6), x);
      const check = checkLayerGradients(layer, x, { rng: new Rng(7) });
      expect(check.dx.relError).toBeLessThan(TOL);
      expect(Object.keys(check.params)).toEqual(options.useBias === false ? ['kernel'] : ['kernel', 'bias']);
      for (const [name, c] of Object.entries(check.params)) {
        expect(c.relError, name).toBeLessThan(TOL);
        expect(c.scale, name).toBeGreaterThan(0);
      }
    });
  }

  for (const activation of ACTIVATION_NAMES) {
    it(`activation ${activation}`, () => {
      const x = images([2, 5, 5, 2], 8);
      const layer = withRandomBias(conv({ filters: 3, kernelSize: 3, padding: 'same', activation }, 9), x);
      const check = checkLayerGradients(layer, x, { rng: new Rng(10) });
      expect(check.dx.relError).toBeLessThan(TOL);
      expect(check.params.kernel!.relError).toBeLessThan(TOL);
      expect(check.params.bias!.relError).toBeLessThan(TOL);
    });
  }

  it('inputGrad: false returns null and accumulates the same parameter gradients', () => {
    const x = images([2, 6, 6, 2], 11);
    const dy = randn([2, 4, 4, 3], { dtype: 'float64', rng: new Rng(12) });
    const grads = (inputGrad: boolean) => {
      const layer = withRandomBias(conv({ filters: 3, kernelSize: 3, activation: 'relu' }, 13), x);
      layer.forward(x, { training: true });
      const dx = layer.backward(dy, { inputGrad });
      return { dx, params: layer.params().map((p) => Array.from(p.grad.data)) };
    };
    const skipped = grads(false);
    expect(skipped.dx).toBeNull();
    expect(skipped.params).toEqual(grads(true).params);
  });

  it('gradients accumulate until zeroGrads', () => {
    const x = images([1, 4, 4, 1], 14);
    const layer = withRandomBias(conv({ filters: 2, kernelSize: 2 }, 15), x);
    const dy = randn([1, 3, 3, 2], { dtype: 'float64', rng: new Rng(16) });
    layer.forward(x, { training: true });
    layer.backward(dy);
    const once = Array.from(layer.params()[0]!.grad.data);
    layer.backward(dy);
    expect(maxAbsDiff(Array.from(layer.params()[0]!.grad.data), once.map((v) => 2 * v))).toBeLessThan(1e-12);
    layer.zeroGrads();
    expect(layer.params().every((p) => p.grad.data.every((v) => v === 0))).toBe(true);
  });
});

describe('Conv2D initializers count the receptive field, as Keras does', () => {
  // Keras: fan_in = kernelHeight · kernelWidth · channels, fan_out = kernelHeight · kernelWidth · filters.
  const fanIn = 3 * 2 * 5;
  const fanOut = 3 * 2 * 4;
  const build = (kernelInitializer: Conv2DOptions['kernelInitializer']) => {
    const layer = new Conv2D({ filters: 4, kernelSize: [3, 2], kernelInitializer, dtype: 'float64', rng: new Rng(21) });
    layer.build([null, 8, 8, 5]);
    return Array.from(layer.kernel!.data);
  };
  const uniform = () => Array.from(rand([3, 2, 5, 4], { dtype: 'float64', rng: new Rng(21) }).data);
  const normal = () => Array.from(randn([3, 2, 5, 4], { dtype: 'float64', rng: new Rng(21) }).data);

  it('glorotUniform (the default): U(±sqrt(6 / (fanIn + fanOut)))', () => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    expect(new Conv2D({ filters: 1, kernelSize: 1 }).kernelInitializer).toBe('glorotUniform');
    expect(build('glorotUniform')).toEqual(uniform().map((u) => -limit + u * 2 * limit));
  });
  it('heNormal: N(0, 2 / fanIn)', () => {
    expect(build('heNormal')).toEqual(normal().map((z) => z * Math.sqrt(2 / fanIn)));
  });
  it('heUniform and glorotNormal', () => {
    expect(build('heUniform')).toEqual(uniform().map((u) => -Math.sqrt(6 / fanIn) + u * 2 * Math.sqrt(6 / fanIn)));
    expect(build('glorotNormal')).toEqual(normal().map((z) => z * Math.sqrt(2 / (fanIn + fanOut))));
  });
  it('kernel [kernelHeight, kernelWidth, channels, filters] first, then the bias', () => {
    const layer = new Conv2D({ filters: 4, kernelSize: [3, 2], biasInitializer: 'ones' });
    layer.build([null, 8, 8, 5]);
    expect(layer.params().map((p) => [p.name, p.value.shape])).toEqual([
      ['kernel', [3, 2, 5, 4]],
      ['bias', [4]],
    ]);
    expect(Array.from(layer.bias!.data)).toEqual([1, 1, 1, 1]);
    expect(layer.countParams()).toBe(3 * 2 * 5 * 4 + 4);
  });
});

describe('Conv2D shapes', () => {
  it('computeOutputShape follows TensorFlow, unknown sizes staying unknown', () => {
    const layer = new Conv2D({ filters: 8, kernelSize: 5, padding: 'same', strides: 2 });
    expect(layer.computeOutputShape([null, 28, 28, 1])).toEqual([null, 14, 14, 8]);
    expect(layer.computeOutputShape([null, 27, null, 1])).toEqual([null, 14, null, 8]);
    expect(new Conv2D({ filters: 32, kernelSize: 3 }).computeOutputShape([4, 28, 28, 1])).toEqual([4, 26, 26, 32]);
    expect(new Conv2D({ filters: 2, kernelSize: 3, dilationRate: 2, strides: 2 }).computeOutputShape([null, 9, 10, 3])).toEqual([null, 3, 3, 2]);
  });

  it('the inputShape option builds the layer (a model\'s first layer)', () => {
    const layer = new Conv2D({ filters: 2, kernelSize: 3, inputShape: [28, 28, 1] });
    expect(layer.built).toBe(true);
    expect(layer.inputShape).toEqual([null, 28, 28, 1]);
    expect(layer.kernel!.shape).toEqual([3, 3, 1, 2]);
  });

  it('refuses a wrong rank or channel count, naming [batch, height, width, channels]', () => {
    const layer = new Conv2D({ filters: 2, kernelSize: 3, name: 'c' });
    expect(() => layer.forward(tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => layer.forward(tensor([[1, 2, 3]]))).toThrow(
      "Conv2D 'c': expected inputs of rank 4 [batch, height, width, channels], got shape (1, 3) (rank 2)",
    );
    expect(() => layer.computeOutputShape([null, 784])).toThrow(/expected inputs of rank 4 \[batch, height, width, channels\], got shape \(None, 784\)/);
    layer.forward(randn([1, 5, 5, 3]));
    expect(() => layer.forward(randn([1, 5, 5, 1]))).toThrow(
      "Conv2D 'c': expected [batch, height, width, channels] with 3 channels, got shape (1, 5, 5, 1) (1 channel)",
    );
    expect(() => layer.computeOutputShape([null, 5, 5, 1])).toThrow(ShapeError);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3 }).build([null, 5, 5, null])).toThrow(/the channels of input shape \(None, 5, 5, None\) .* must be known/);
  });

  it('refuses a kernel larger than a valid input, or an empty output, naming sizes and padding', () => {
    const layer = new Conv2D({ filters: 2, kernelSize: 5, name: 'c' });
    expect(() => layer.computeOutputShape([null, 4, 6, 1])).toThrow(
      "Conv2D 'c': the kernel 5×5 is larger than the input 4×6 (shape (None, 4, 6, 1), [batch, height, width, channels]), " +
        "so with padding 'valid' the output would be 0×2; use padding 'same' or a smaller kernel",
    );
    expect(() => layer.forward(randn([2, 4, 6, 1]))).toThrow(/the kernel 5×5 is larger than the input 4×6 .* the output would be 0×2/);
    expect(layer.built).toBe(false);
    expect(() => new Conv2D({ filters: 1, kernelSize: 3, dilationRate: 3 }).computeOutputShape([null, 6, 6, 1])).toThrow(
      /the kernel 3×3 \(dilated to 7×7\) is larger than the input 6×6/,
    );
    expect(() => new Conv2D({ filters: 1, kernelSize: 3, padding: 'same', name: 's' }).computeOutputShape([null, 0, 6, 1])).toThrow(
      "Conv2D 's': the input 0×6 (shape (None, 0, 6, 1), [batch, height, width, channels]) is empty, so with padding 'same' the output would be 0×6",
    );
  });

  it('refuses bad options by name', () => {
    expect(() => new Conv2D({ filters: 0, kernelSize: 3 })).toThrow(new ValueError('Conv2D: filters must be a positive integer, got 0'));
    expect(() => new Conv2D({ filters: 2 } as Conv2DOptions)).toThrow(/kernelSize is required/);
    expect(() => new Conv2D({ filters: 2, kernelSize: [3, 0] })).toThrow(/kernelSize must be a positive integer or \[height, width\] of positive integers, got \[3,0\]/);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, strides: 1.5 })).toThrow(/strides must be a positive integer/);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, padding: 'full' as never })).toThrow(/padding must be 'valid' or 'same', got "full"/);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, activation: 'gelu' as never })).toThrow(/unknown activation "gelu"/);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, kernelInitializer: 'orthogonal' as never })).toThrow(/unknown initializer "orthogonal"/);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, dtype: 'int32' as never })).toThrow(DTypeError);
    const layer = new Conv2D({ filters: 2, kernelSize: 1, dtype: 'float64' });
    expect(() => layer.forward(randn([1, 2, 2, 1]))).toThrow(/input is float32, weights are float64; cast the input/);
  });

  it('backward before a training forward, or a dy of the wrong shape, is refused', () => {
    const layer = new Conv2D({ filters: 2, kernelSize: 3, name: 'c' });
    expect(() => layer.backward(randn([1, 3, 3, 2]))).toThrow(/Conv2D 'c'.backward: call forward\(x, \{ training: true \}\) first/);
    layer.forward(randn([1, 5, 5, 1]), { training: true });
    expect(() => layer.backward(randn([1, 5, 5, 2]))).toThrow(/dy has shape \[1,5,5,2\], expected \[1,3,3,2\]/);
  });
});

describe('Conv2D config', () => {
  it('rebuilds the same layer through layerFromConfig', () => {
    const layer = new Conv2D({ name: 'c', filters: 6, kernelSize: [3, 2], strides: [2, 1], padding: 'same', dilationRate: 1, activation: 'elu', useBias: false, kernelInitializer: 'heUniform', inputShape: [9, 8, 2] });
    const config = JSON.parse(JSON.stringify(layer.getConfig())) as ReturnType<Conv2D['getConfig']>;
    expect(config).toEqual({
      name: 'c',
      filters: 6,
      kernelSize: [3, 2],
      strides: [2, 1],
      padding: 'same',
      dilationRate: [1, 1],
      activation: 'elu',
      useBias: false,
      kernelInitializer: 'heUniform',
      biasInitializer: 'zeros',
      dtype: 'float32',
      inputShape: [9, 8, 2],
    });
    const copy = layerFromConfig('Conv2D', config);
    expect(copy).toBeInstanceOf(Conv2D);
    expect(copy.getConfig()).toEqual(config);
    expect(copy.params().map((p) => p.value.shape)).toEqual([[3, 2, 2, 6]]);
    expect(new Conv2D({ filters: 1, kernelSize: 1 }).getConfig().inputShape).toBeNull();
  });

  it('refuses unknown keys and bad values from an untrusted config', () => {
    const good = new Conv2D({ name: 'c', filters: 2, kernelSize: 3 }).getConfig();
    expect(() => layerFromConfig('Conv2D', { ...good, dataFormat: 'channels_first' })).toThrow(/Conv2D config has unknown key "dataFormat"/);
    expect(() => layerFromConfig('Conv2D', { ...good, padding: null })).toThrow(/padding must be 'valid' or 'same', got null/);
    expect(() => layerFromConfig('Conv2D', { ...good, activation: null })).toThrow(/unknown activation null/);
    expect(() => layerFromConfig('Conv2D', { ...good, inputShape: [5, 5] })).toThrow(/expected inputs of rank 4/);
    expect(() => layerFromConfig('Conv2D', { name: 'c', filters: 2 })).toThrow(/Conv2D config is missing "kernelSize"/);
  });
});

describe('the README', () => {
  it('shows the messages the image layers throw', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = readme.split('\n').filter((line) => line.startsWith("ShapeError: Conv2D '"));
    const thrown = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
      return 'nothing thrown';
    };
    const layer = new Conv2D({ filters: 8, kernelSize: 3, name: 'conv2d', inputShape: [28, 28, 1] });
    expect(documented).toEqual([
      thrown(() => layer.forward(randn([32, 784]))),
      thrown(() => layer.forward(randn([32, 28, 28, 3]))),
      thrown(() => new Conv2D({ filters: 2, kernelSize: 5, name: 'c' }).computeOutputShape([null, 4, 6, 1])),
    ]);
  });
});
