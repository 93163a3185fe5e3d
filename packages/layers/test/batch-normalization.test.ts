import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { DTypeError, Rng, ShapeError, ValueError, randn, tensor, type Tensor } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormalization, Param, layerFromConfig, type BatchNormalizationLayerOptions } from '@scratchnet/layers';
import { checkLayerGradients } from '@scratchnet/layers/testing';
import { maxAbsDiff } from './helpers.js';

beforeAll(() => {
  setBackend(new CpuBackend());
});

const TOL = 1e-6;

/** Per feature (the last axis) of `x` seen as [rows, features]: mean and population variance, in float64. */
function statistics(x: Tensor): { mean: number[]; variance: number[] } {
  const features = x.shape.at(-1)!;
  const rows = x.size / features;
  const mean = Array.from({ length: features }, (_, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x.data[r * features + c]!;
    return s / rows;
  });
  const variance = mean.map((m, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += (x.data[r * features + c]! - m) ** 2;
    return s / rows;
  });
  return { mean, variance };
}

function normalized(x: Tensor, mean: number[], variance: number[], gamma: number[], beta: number[], epsilon: number): number[] {
  const features = mean.length;
  return Array.from(x.data, (v, i) => {
    const c = i % features;
    return ((v - mean[c]!) / Math.sqrt(variance[c]! + epsilon)) * gamma[c]! + beta[c]!;
  });
}

/** A float64 layer with random γ and β (not the 1 and 0 they start at, which would hide mistakes). */
function randomLayer(features: number, options: Omit<BatchNormalizationLayerOptions, 'dtype'> = {}): BatchNormalization {
  const layer = new BatchNormalization({ ...options, dtype: 'float64' });
  layer.build([null, features]);
  const rng = new Rng(features);
  if (layer.gamma) layer.gamma.data.set(Array.from({ length: features }, () => 0.5 + rng.random()));
  if (layer.beta) layer.beta.data.set(Array.from({ length: features }, () => rng.random() - 0.5));
  return layer;
}

describe('BatchNormalization forward', () => {
  it('in training: the batch statistics per channel of NHWC images, and the moving averages move towards them', () => {
    const x = randn([4, 3, 5, 2], { dtype: 'float64', rng: new Rng(1) });
    for (let i = 0; i < x.size; i++) x.data[i] = x.data[i]! * 3 + (i % 2 === 0 ? 5 : -2);
    const layer = randomLayer(2, { momentum: 0.9, epsilon: 0.01 });
    const { mean, variance } = statistics(x);
    const y = layer.forward(x, { training: true });
    expect(maxAbsDiff(Array.from(y.data), normalized(x, mean, variance, Array.from(layer.gamma!.data), Array.from(layer.beta!.data), 0.01))).toBeLessThan(1e-12);
    // moving = moving · momentum + batch · (1 − momentum), from 0 and 1.
    expect(maxAbsDiff(Array.from(layer.movingMean!.data), mean.map((m) => m * 0.1))).toBeLessThan(1e-14);
    expect(maxAbsDiff(Array.from(layer.movingVariance!.data), variance.map((v) => 0.9 + v * 0.1))).toBeLessThan(1e-14);
    layer.forward(x, { training: true });
    expect(maxAbsDiff(Array.from(layer.movingMean!.data), mean.map((m) => m * 0.1 * 0.9 + m * 0.1))).toBeLessThan(1e-14);
  });

  it('at inference: the moving statistics, which inference leaves alone', () => {
    const layer = randomLayer(3);
    layer.movingMean!.data.set([1, -2, 0.5]);
    layer.movingVariance!.data.set([4, 0.25, 1]);
    const x = randn([5, 3], { dtype: 'float64', rng: new Rng(2) });
    const y = layer.forward(x);
    expect(maxAbsDiff(Array.from(y.data), normalized(x, [1, -2, 0.5], [4, 0.25, 1], Array.from(layer.gamma!.data), Array.from(layer.beta!.data), 1e-3))).toBeLessThan(1e-12);
    expect(Array.from(layer.movingMean!.data)).toEqual([1, -2, 0.5]);
  });

  it('Keras defaults: momentum 0.99, epsilon 1e-3, γ 1, β 0, moving mean 0, moving variance 1', () => {
    const layer = new BatchNormalization();
    layer.build([null, 4, 4, 3]);
    expect([layer.momentum, layer.epsilon, layer.center, layer.scale]).toEqual([0.99, 1e-3, true, true]);
    expect([layer.gamma, layer.beta, layer.movingMean, layer.movingVariance].map((t) => Array.from(t!.data))).toEqual([
      [1, 1, 1],
      [0, 0, 0],
      [0, 0, 0],
      [1, 1, 1],
    ]);
    expect(layer.dtype).toBe('float32');
  });
});

describe('BatchNormalization backward matches central finite differences (float64), through the batch statistics', () => {
  const cases: [string, number[], Omit<BatchNormalizationLayerOptions, 'dtype'>][] = [
    ['NHWC images', [3, 4, 2, 3], {}],
    ['[batch, features] (after a Dense)', [6, 5], {}],
    ['one image, 1×1', [2, 1, 1, 4], {}],
    ['without β (center: false)', [3, 2, 2, 2], { center: false }],
    ['without γ (scale: false)', [3, 2, 2, 2], { scale: false }],
    ['a large epsilon', [4, 3, 3, 2], { epsilon: 0.5 }],
  ];
  for (const [label, shape, options] of cases) {
    it(label, () => {
      const layer = randomLayer(shape.at(-1)!, options);
      const x = randn(shape, { dtype: 'float64', rng: new Rng(shape.length) });
      const check = checkLayerGradients(layer, x, { rng: new Rng(4) });
      expect(check.dx.relError).toBeLessThan(TOL);
      expect(check.dx.scale).toBeGreaterThan(0);
      const names = [...(options.scale === false ? [] : ['gamma']), ...(options.center === false ? [] : ['beta'])];
      expect(Object.keys(check.params)).toEqual(names);
      for (const name of names) expect(check.params[name]!.relError, name).toBeLessThan(TOL);
    });
  }

  it('γ and β gradients accumulate; inputGrad: false returns null', () => {
    const layer = randomLayer(2);
    const x = randn([4, 2], { dtype: 'float64', rng: new Rng(5) });
    const dy = randn([4, 2], { dtype: 'float64', rng: new Rng(6) });
    layer.forward(x, { training: true });
    expect(layer.backward(dy, { inputGrad: false })).toBeNull();
    const once = layer.params().map((p) => Array.from(p.grad.data));
    layer.backward(dy);
    expect(layer.params().map((p) => Array.from(p.grad.data))).toEqual(once.map((g) => g.map((v) => 2 * v)));
  });
});

describe('moving statistics are non-trainable parameters', () => {
  it('params() holds γ and β; nonTrainableParams() the moving mean and variance, which have no gradient', () => {
    const layer = new BatchNormalization();
    layer.build([null, 5]);
    expect(layer.params().map((p) => [p.name, p.trainable])).toEqual([
      ['gamma', true],
      ['beta', true],
    ]);
    expect(layer.nonTrainableParams().map((p) => [p.name, p.trainable])).toEqual([
      ['moving_mean', false],
      ['moving_variance', false],
    ]);
    expect(layer.allParams().map((p) => p.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(layer.countParams()).toBe(20);
    expect(() => layer.nonTrainableParams()[0]!.grad).toThrow("Param 'moving_mean' is not trainable: it has no gradient (its layer updates it; optimizers never see it)");
    // zeroGrads touches trainable parameters only.
    layer.zeroGrads();
  });

  it('a Param is trainable unless told otherwise', () => {
    expect(new Param('w', tensor([1, 2])).trainable).toBe(true);
    expect(new Param('w', tensor([1, 2])).grad.shape).toEqual([2]);
    expect(new Param('s', tensor([1]), { trainable: false }).trainable).toBe(false);
    expect(() => new Param('s', tensor([1]), { trainable: 'no' as never })).toThrow(/trainable must be true or false/);
  });

  it('without γ and β the layer has only non-trainable parameters, and still a dtype', () => {
    const layer = new BatchNormalization({ center: false, scale: false, dtype: 'float64' });
    layer.build([null, 2, 2, 3]);
    expect(layer.params()).toEqual([]);
    expect(layer.countParams()).toBe(6);
    expect(layer.dtype).toBe('float64');
  });
});

describe('BatchNormalization checks and config', () => {
  it('refuses a features count other than the built one, unknown features, dtype mismatches and empty training batches', () => {
    const layer = new BatchNormalization({ name: 'bn' });
    layer.forward(randn([2, 3, 3, 4]), { training: true });
    expect(() => layer.forward(randn([2, 3, 3, 2]))).toThrow("BatchNormalization 'bn': expected 4 features (channels) on the last axis, got shape (2, 3, 3, 2)");
    expect(() => layer.computeOutputShape([null, 3, 3, 2])).toThrow(ShapeError);
    expect(() => new BatchNormalization().build([null, 3, null])).toThrow(/with known features, got shape \(None, 3, None\)/);
    expect(() => layer.forward(randn([2, 3, 3, 4], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => layer.forward(randn([0, 3, 3, 4]), { training: true })).toThrow(/a training batch of shape \[0,3,3,4\] is empty/);
  });

  it('refuses channels_first (axis other than -1) and bad momentum, epsilon or flags, by name', () => {
    expect(() => new BatchNormalization({ axis: 1 as never })).toThrow(new ValueError('BatchNormalization: axis must be -1 (the last axis: channels-last features), got 1'));
    expect(() => new BatchNormalization({ momentum: 1.5 })).toThrow(/momentum must be a number in \[0, 1\], got 1.5/);
    expect(() => new BatchNormalization({ epsilon: 0 })).toThrow(/epsilon must be a finite number above 0, got 0/);
    expect(() => new BatchNormalization({ center: 'yes' as never })).toThrow(/center must be true or false/);
    expect(() => new BatchNormalization({ gammaInitializer: 'heNormal2' as never })).toThrow(/unknown initializer "heNormal2"/);
  });

  it('its config rebuilds it, with the input shape when built', () => {
    const layer = new BatchNormalization({ name: 'bn', momentum: 0.9, epsilon: 1e-5, center: false, inputShape: [7, 7, 16] });
    const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
    expect(config).toEqual({
      name: 'bn',
      axis: -1,
      momentum: 0.9,
      epsilon: 1e-5,
      center: false,
      scale: true,
      betaInitializer: 'zeros',
      gammaInitializer: 'ones',
      movingMeanInitializer: 'zeros',
      movingVarianceInitializer: 'ones',
      dtype: 'float32',
      inputShape: [7, 7, 16],
    });
    const copy = layerFromConfig('BatchNormalization', config as never);
    expect(copy.getConfig()).toEqual(config);
    expect(copy.allParams().map((p) => p.name)).toEqual(['gamma', 'moving_mean', 'moving_variance']);
    expect(() => layerFromConfig('BatchNormalization', { ...config, momentum: null })).toThrow(/momentum must be a number/);
    expect(() => layerFromConfig('BatchNormalization', { ...config, renorm: true })).toThrow(/unknown key "renorm"/);
  });
});
