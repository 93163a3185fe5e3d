import { setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';
import { DTypeError, Rng, ShapeError, ValueError, randn, tensor, zeros } from '@scratchnet/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D, Reshape, layerFromConfig, type Pooling2DOptions } from '@scratchnet/layers';
import { checkLayerGradients } from '@scratchnet/layers/testing';
import { maxAbsDiff } from './helpers.js';
import { referencePool, type Image4 } from './image-reference.js';

beforeAll(() => {
  setBackend(new CpuBackend());
});

const TOL = 1e-6;

const CASES: { label: string; x: number[]; options: Pooling2DOptions }[] = [
  { label: 'the default: 2×2, strides 2, valid', x: [2, 6, 6, 3], options: {} },
  { label: 'odd size: the last row and column dropped (valid)', x: [1, 7, 5, 2], options: { poolSize: 2 } },
  { label: 'odd size, same: partial windows at the bottom and right', x: [2, 7, 5, 2], options: { poolSize: 2, padding: 'same' } },
  { label: '3×3 windows at strides 2 (overlapping)', x: [1, 7, 7, 2], options: { poolSize: 3, strides: 2 } },
  { label: '[2, 3] windows, strides [1, 3], same', x: [2, 5, 7, 1], options: { poolSize: [2, 3], strides: [1, 3], padding: 'same' } },
  { label: 'a window as large as the input', x: [3, 4, 3, 2], options: { poolSize: [4, 3] } },
];

for (const [className, Pooling, kind] of [
  ['MaxPooling2D', MaxPooling2D, 'max'],
  ['AveragePooling2D', AveragePooling2D, 'avg'],
] as const) {
  describe(`${className}`, () => {
    for (const { label, x: shape, options } of CASES) {
      it(`${label}: forward is the reference, backward matches finite differences (float64)`, () => {
        const x = randn(shape, { dtype: 'float64', rng: new Rng(shape.reduce((a, b) => a * b)) });
        const layer = new Pooling(options);
        const y = layer.forward(x);
        const spec = { size: layer.poolSize as [number, number], strides: layer.strides as [number, number], padding: layer.padding };
        expect(y.shape).toEqual(layer.computeOutputShape(x.shape));
        expect(maxAbsDiff(y.toArray(), referencePool(x.toArray() as Image4, spec, kind))).toBeLessThan(1e-14);
        // Random inputs have no ties, so the max is differentiable there.
        const check = checkLayerGradients(new Pooling(options), x, { rng: new Rng(3) });
        expect(check.dx.relError).toBeLessThan(TOL);
        expect(check.dx.scale).toBeGreaterThan(0);
        expect(check.params).toEqual({});
      });
    }

    it('keeps the dtype it is given (float32 or float64) and has no parameters', () => {
      const layer = new Pooling();
      expect(layer.forward(randn([1, 4, 4, 1])).dtype).toBe('float32');
      expect(layer.forward(randn([1, 4, 4, 1], { dtype: 'float64' })).dtype).toBe('float64');
      expect(layer.countParams()).toBe(0);
      expect(layer.dtype).toBeUndefined();
      expect(() => layer.forward(zeros([1, 4, 4, 1], { dtype: 'int32' }))).toThrow(DTypeError);
    });

    it('refuses a wrong rank, a window larger than a valid input and bad options, by name', () => {
      const layer = new Pooling({ poolSize: 3, name: 'p' });
      expect(() => layer.forward(randn([2, 8]))).toThrow(`${className} 'p': expected inputs of rank 4 [batch, height, width, channels], got shape (2, 8) (rank 2)`);
      expect(() => layer.computeOutputShape([null, 2, 9, 4])).toThrow(
        `${className} 'p': the pool window 3×3 is larger than the input 2×9 (shape (None, 2, 9, 4), [batch, height, width, channels]), ` +
          "so with padding 'valid' the output would be 0×3; use padding 'same' or a smaller pool window",
      );
      expect(() => layer.forward(randn([1, 2, 9, 4]))).toThrow(ShapeError);
      expect(() => new Pooling({ poolSize: 0 })).toThrow(new ValueError(`${className}: poolSize must be a positive integer or [height, width] of positive integers, got 0`));
      expect(() => new Pooling({ padding: 'causal' as never })).toThrow(/padding must be 'valid' or 'same'/);
    });

    it('its config rebuilds it; strides default to the pool size', () => {
      const layer = new Pooling({ name: 'p', poolSize: [3, 2], padding: 'same' });
      expect(layer.getConfig()).toEqual({ name: 'p', poolSize: [3, 2], strides: [3, 2], padding: 'same' });
      const copy = layerFromConfig(className, JSON.parse(JSON.stringify(layer.getConfig())));
      expect(copy).toBeInstanceOf(Pooling);
      expect(copy.getConfig()).toEqual(layer.getConfig());
      expect(() => layerFromConfig(className, { name: 'p', pool_size: 2 })).toThrow(/config has unknown key "pool_size"/);
    });
  });
}

describe('MaxPooling2D gradient', () => {
  it('goes to the first maximum of a window with ties', () => {
    const layer = new MaxPooling2D();
    const x = tensor([[[[1], [3]], [[3], [2]]]], { dtype: 'float64' });
    layer.forward(x, { training: true });
    expect(layer.backward(tensor([[[[5]]]], { dtype: 'float64' })).toArray()).toEqual([[[[0], [5]], [[0], [0]]]]);
  });
});

describe('GlobalAveragePooling2D', () => {
  it('is the mean over height and width, per channel: [batch, channels]', () => {
    const x = randn([3, 4, 5, 2], { dtype: 'float64', rng: new Rng(1) });
    const layer = new GlobalAveragePooling2D();
    const y = layer.forward(x);
    expect(y.shape).toEqual([3, 2]);
    const expected = (x.toArray() as Image4).map((img) => [0, 1].map((c) => img.flat().reduce((s, px) => s + px[c]!, 0) / 20));
    expect(maxAbsDiff(y.toArray(), expected)).toBeLessThan(1e-14);
    expect(layer.computeOutputShape([null, null, 7, 2])).toEqual([null, 2]);
  });

  it('backward spreads dy evenly (finite differences, float64), also for a 1×1 image', () => {
    for (const shape of [[2, 3, 4, 3], [1, 1, 1, 2], [4, 5, 1, 1]]) {
      const check = checkLayerGradients(new GlobalAveragePooling2D(), randn(shape, { dtype: 'float64', rng: new Rng(2) }), { rng: new Rng(3) });
      expect(check.dx.relError).toBeLessThan(TOL);
    }
  });

  it('refuses what is not an image batch, and rebuilds from its config', () => {
    const layer = new GlobalAveragePooling2D({ name: 'g' });
    expect(() => layer.forward(randn([2, 3, 4]))).toThrow("GlobalAveragePooling2D 'g': expected inputs of rank 4 [batch, height, width, channels], got shape (2, 3, 4) (rank 3)");
    expect(() => layer.computeOutputShape([null, 0, 3, 2])).toThrow(/is an empty image/);
    expect(layerFromConfig('GlobalAveragePooling2D', layer.getConfig())).toBeInstanceOf(GlobalAveragePooling2D);
  });
});

describe('Reshape', () => {
  it('gives each sample the target shape (row-major, a view), inferring one -1', () => {
    const x = randn([2, 12], { rng: new Rng(1) });
    const layer = new Reshape({ targetShape: [2, -1, 3] });
    const y = layer.forward(x);
    expect(y.shape).toEqual([2, 2, 2, 3]);
    expect(y.data).toBe(x.data);
    expect(layer.computeOutputShape([null, 12])).toEqual([null, 2, 2, 3]);
    expect(layer.computeOutputShape([null, null])).toEqual([null, 2, null, 3]);
    expect(new Reshape({ targetShape: [28, 28, 1] }).computeOutputShape([null, 784])).toEqual([null, 28, 28, 1]);
  });

  it('backward reshapes dy back (finite differences, float64)', () => {
    const check = checkLayerGradients(new Reshape({ targetShape: [3, 2] }), randn([4, 2, 3], { dtype: 'float64', rng: new Rng(2) }), { rng: new Rng(3) });
    expect(check.dx.relError).toBeLessThan(1e-9);
  });

  it('refuses a size that does not fit and a malformed target, and rebuilds from its config', () => {
    const layer = new Reshape({ targetShape: [5, -1], name: 'r' });
    expect(() => layer.forward(randn([2, 12]))).toThrow(
      "Reshape 'r': input shape (2, 12) has 12 elements per sample, which do not fit targetShape [5,-1] (a multiple of 5)",
    );
    expect(() => new Reshape({ targetShape: [4, 4] }).computeOutputShape([null, 3, 5])).toThrow(/has 15 elements per sample, which do not fit targetShape \[4,4\] \(16\)/);
    expect(() => new Reshape({ targetShape: [-1, -1] })).toThrow(/one of which may be -1, got \[-1,-1\]/);
    expect(() => new Reshape({ targetShape: [0, 3] })).toThrow(ValueError);
    expect(() => new Reshape({} as never)).toThrow(/targetShape must be an array/);
    const copy = layerFromConfig('Reshape', JSON.parse(JSON.stringify(layer.getConfig())));
    expect(copy.getConfig()).toEqual({ name: 'r', targetShape: [5, -1] });
  });
});
