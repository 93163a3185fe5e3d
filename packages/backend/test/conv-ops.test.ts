import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError, full, tensor, zeros, type Tensor } from '@scratchnet/tensor';
import {
  BackendError,
  avgPool,
  avgPoolBackward,
  batchNormalization,
  batchNormalizationBackward,
  clearBackend,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  conv2dInfo,
  maxPool,
  maxPoolBackward,
  moments,
  pool2dInfo,
  setBackend,
} from '@scratchnet/backend';
import { ReferenceBackend } from '@scratchnet/backend/testing';

beforeEach(() => {
  setBackend(new ReferenceBackend());
});
afterEach(() => clearBackend());

const x4 = (shape: number[], dtype: 'float32' | 'float64' = 'float32'): Tensor => zeros(shape, { dtype });

describe('conv2dInfo: output sizes and padding as TensorFlow computes them', () => {
  it("valid: floor((in - effective) / stride) + 1, no padding", () => {
    const info = conv2dInfo('t', [2, 28, 28, 1], [3, 3, 1, 32]);
    expect([info.outHeight, info.outWidth, info.outChannels]).toEqual([26, 26, 32]);
    expect([info.padTop, info.padBottom, info.padLeft, info.padRight]).toEqual([0, 0, 0, 0]);
    const strided = conv2dInfo('t', [1, 10, 9, 2], [3, 2, 2, 4], { strides: [2, 3], padding: 'valid' });
    expect([strided.outHeight, strided.outWidth]).toEqual([4, 3]);
    const dilated = conv2dInfo('t', [1, 9, 9, 1], [3, 3, 1, 1], { dilations: 2 });
    expect([dilated.outHeight, dilated.outWidth]).toEqual([5, 5]); // effective 5×5
  });

  it('same: ceil(in / stride), the extra padding of an even filter on the bottom/right', () => {
    const odd = conv2dInfo('t', [1, 28, 28, 1], [5, 5, 1, 8], { padding: 'same' });
    expect([odd.outHeight, odd.padTop, odd.padBottom]).toEqual([28, 2, 2]);
    const even = conv2dInfo('t', [1, 5, 6, 1], [2, 4, 1, 1], { padding: 'same' });
    expect([even.outHeight, even.outWidth]).toEqual([5, 6]);
    expect([even.padTop, even.padBottom, even.padLeft, even.padRight]).toEqual([0, 1, 1, 2]);
    const strided = conv2dInfo('t', [1, 7, 8, 1], [3, 3, 1, 1], { padding: 'same', strides: 2 });
    // out = 4 × 4; rows need (4-1)*2 + 3 - 7 = 2 (1 + 1), columns (4-1)*2 + 3 - 8 = 1 (0 + 1).
    expect([strided.outHeight, strided.outWidth, strided.padTop, strided.padBottom, strided.padLeft, strided.padRight]).toEqual([4, 4, 1, 1, 0, 1]);
    // A stride larger than the filter needs no padding at all (max(…, 0)).
    const sparse = conv2dInfo('t', [1, 5, 5, 1], [1, 1, 1, 1], { padding: 'same', strides: 3 });
    expect([sparse.outHeight, sparse.padTop, sparse.padBottom]).toEqual([2, 0, 0]);
  });

  it('pooling: strides default to poolSize, channels pass through', () => {
    const info = pool2dInfo('t', [3, 7, 6, 5], { poolSize: 2 });
    expect([info.outHeight, info.outWidth, info.outChannels, info.strideHeight, info.strideWidth]).toEqual([3, 3, 5, 2, 2]);
    const same = pool2dInfo('t', [3, 7, 6, 5], { poolSize: [3, 2], strides: 1, padding: 'same' });
    expect([same.outHeight, same.outWidth, same.padTop, same.padBottom, same.padLeft, same.padRight]).toEqual([7, 6, 1, 1, 0, 1]);
  });
});

describe('conv2d', () => {
  it('checks ranks and channels, naming the expected layouts', () => {
    expect(() => conv2d(x4([28, 28, 1]), x4([3, 3, 1, 8]))).toThrow(ShapeError);
    expect(() => conv2d(x4([28, 28, 1]), x4([3, 3, 1, 8]))).toThrow(
      'conv2d: x must be 4-D [batch, height, width, channels], got shape [28,28,1] (rank 3)',
    );
    expect(() => conv2d(x4([1, 28, 28, 1]), x4([3, 3, 8]))).toThrow(
      'conv2d: filter must be 4-D [filterHeight, filterWidth, inChannels, outChannels], got shape [3,3,8] (rank 3)',
    );
    expect(() => conv2d(x4([2, 28, 28, 3]), x4([3, 3, 1, 8]))).toThrow(
      'conv2d: x [2,28,28,3] ([batch, height, width, channels]) has 3 channels but filter [3,3,1,8] ([filterHeight, filterWidth, inChannels, outChannels]) takes 1',
    );
  });

  it('refuses a filter larger than a valid input, and every empty output, naming sizes and padding', () => {
    expect(() => conv2d(x4([1, 4, 6, 1]), x4([5, 5, 1, 2]))).toThrow(ShapeError);
    expect(() => conv2d(x4([1, 4, 6, 1]), x4([5, 5, 1, 2]))).toThrow(
      "conv2d: the filter 5×5 is larger than the input 4×6 of x [1,4,6,1] ([batch, height, width, channels]) with padding 'valid', so the output would be 0×2; use padding 'same' or a smaller filter",
    );
    expect(() => conv2d(x4([1, 7, 7, 1]), x4([3, 3, 1, 2]), { dilations: 4 })).toThrow(
      "conv2d: the filter 3×3 (dilated to 9×9) is larger than the input 7×7",
    );
    expect(() => conv2d(x4([1, 0, 6, 1]), x4([1, 1, 1, 2]), { padding: 'same' })).toThrow(
      "conv2d: x [1,0,6,1] ([batch, height, width, channels]) has height 0, so the output (padding 'same') would be empty; height, width and channels must be at least 1",
    );
    expect(() => conv2d(x4([1, 3, 3, 0]), x4([1, 1, 0, 2]))).toThrow(/has channels 0/);
    expect(() => conv2d(x4([1, 3, 3, 1]), x4([1, 1, 1, 0]))).toThrow(
      'conv2d: filter [1,1,1,0] ([filterHeight, filterWidth, inChannels, outChannels]) has a dimension of 0; each must be at least 1',
    );
    // An empty batch is an empty result, not an error.
    expect(conv2d(x4([0, 3, 3, 1]), x4([2, 2, 1, 4])).shape).toEqual([0, 2, 2, 4]);
  });

  it('checks options: strides, dilations, padding, unknown names', () => {
    const x = x4([1, 5, 5, 1]);
    const f = x4([2, 2, 1, 1]);
    expect(() => conv2d(x, f, { strides: 0 })).toThrow(ValueError);
    expect(() => conv2d(x, f, { strides: 0 })).toThrow('conv2d: strides must be a positive integer or [height, width] of positive integers, got 0');
    expect(() => conv2d(x, f, { strides: [1, 1.5] as unknown as [number, number] })).toThrow('got [1,1.5]');
    expect(() => conv2d(x, f, { dilations: [1, 2, 3] as unknown as [number, number] })).toThrow('conv2d: dilations must be');
    expect(() => conv2d(x, f, { padding: 'SAME' as 'same' })).toThrow(`conv2d: padding must be 'valid' or 'same', got "SAME"`);
    expect(() => conv2d(x, f, { stride: 2 } as never)).toThrow('conv2d: unknown option "stride"; the options are strides, padding, dilations, out');
  });

  it('checks dtypes and out', () => {
    expect(() => conv2d(zeros([1, 3, 3, 1], { dtype: 'int32' }), x4([1, 1, 1, 1]))).toThrow(DTypeError);
    expect(() => conv2d(x4([1, 3, 3, 1], 'float64'), x4([1, 1, 1, 1]))).toThrow('conv2d: dtypes differ: x is float64, filter is float32');
    expect(() => conv2d(x4([1, 3, 3, 1]), x4([1, 1, 1, 2]), { out: x4([1, 3, 3, 1]) })).toThrow('conv2d: out has shape [1,3,3,1], expected [1,3,3,2]');
    const x = x4([1, 3, 3, 1]);
    expect(() => conv2d(x, x4([1, 1, 1, 1]), { out: x })).toThrow('conv2d: out shares memory with x');
    const out = x4([1, 3, 3, 2]);
    expect(conv2d(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] }), tensor([1, -1], { shape: [1, 1, 1, 2] }), { out })).toBe(out);
    expect(Array.from(out.data.slice(0, 4))).toEqual([1, -1, 2, -2]);
  });
});

describe('conv2d gradients', () => {
  it('conv2dBackpropInput checks inputShape and that dy is the forward output', () => {
    const f = x4([3, 3, 2, 4]);
    expect(conv2dBackpropInput([2, 5, 5, 2], x4([2, 5, 5, 4]), f, { padding: 'same' }).shape).toEqual([2, 5, 5, 2]);
    expect(() => conv2dBackpropInput([2, 5, 5, 2], x4([2, 3, 3, 4]), f, { padding: 'same' })).toThrow(
      "conv2dBackpropInput: dy has shape [2,3,3,4], expected [2,5,5,4] ([batch, outHeight, outWidth, outChannels] of conv2d of x [2,5,5,2] by filter [3,3,2,4], strides 1×1, dilations 1×1, padding 'same')",
    );
    expect(() => conv2dBackpropInput([5, 5, 2], x4([2, 5, 5, 4]), f)).toThrow(
      'conv2dBackpropInput: inputShape must be 4-D [batch, height, width, channels], got shape [5,5,2] (rank 3)',
    );
    expect(() => conv2dBackpropInput([2, 5, -1, 2], x4([2, 5, 5, 4]), f)).toThrow(ShapeError);
  });

  it('conv2dBackpropFilter checks filterShape and accumulates into out only', () => {
    const x = tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] });
    const dy = tensor([1], { shape: [1, 1, 1, 1] });
    expect(Array.from(conv2dBackpropFilter(x, dy, [2, 2, 1, 1]).data)).toEqual([1, 2, 3, 4]);
    const out = tensor([10, 10, 10, 10], { shape: [2, 2, 1, 1] });
    conv2dBackpropFilter(x, dy, [2, 2, 1, 1], { accumulate: true, out });
    expect(Array.from(out.data)).toEqual([11, 12, 13, 14]);
    expect(() => conv2dBackpropFilter(x, dy, [2, 2, 1, 1], { accumulate: true })).toThrow(
      'conv2dBackpropFilter: accumulate adds the gradient to out, so it needs out',
    );
    expect(() => conv2dBackpropFilter(x, dy, [2, 2, 2, 1])).toThrow('has 1 channels but filter [2,2,2,1]');
    expect(() => conv2dBackpropFilter(x, dy, [1, 1, 1, 1])).toThrow('conv2dBackpropFilter: dy has shape [1,1,1,1], expected [1,2,2,1]');
  });
});

describe('pooling', () => {
  const x = tensor([1, 5, 2, 0, 3, 4, 9, 9, 7, 8, -1, 6, 0, 0, 2, 2], { shape: [1, 4, 4, 1] });

  it('maxPool and avgPool over 2×2 windows', () => {
    expect(Array.from(maxPool(x, { poolSize: 2 }).data)).toEqual([5, 9, 8, 6]);
    expect(Array.from(avgPool(x, { poolSize: 2 }).data)).toEqual([3.25, 5, 3.75, 2.25]);
    // same, 3×3 stride 2: out 2×2; TF pads (2 - 1) * 2 + 3 - 4 = 1 row and column, on the bottom/right,
    // so the windows start at rows/columns 0 and 2.
    expect(Array.from(maxPool(x, { poolSize: 3, strides: 2, padding: 'same' }).data)).toEqual([9, 9, 8, 6]);
    // The bottom-right window holds only [-1 6; 2 2]: the mean divides by 4, not 9.
    expect(avgPool(x, { poolSize: 3, strides: 2, padding: 'same' }).data[3]).toBe(2.25);
  });

  it('gradients: max sends dy to the first maximum of each window, avg spreads dy / count', () => {
    const dy = tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] });
    // The top-right window [2 0; 9 9] has a tie: the first 9 (row 1, column 2) takes the gradient.
    expect(Array.from(maxPoolBackward(dy, x, { poolSize: 2 }).data)).toEqual([0, 1, 0, 0, 0, 0, 2, 0, 0, 3, 0, 4, 0, 0, 0, 0]);
    expect(Array.from(avgPoolBackward(dy, x.shape, { poolSize: 2 }).data)).toEqual([
      0.25, 0.25, 0.5, 0.5, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1, 0.75, 0.75, 1, 1,
    ]);
  });

  it('check shapes, options and dy', () => {
    expect(() => maxPool(x4([4, 4, 1]), { poolSize: 2 })).toThrow(
      'maxPool: x must be 4-D [batch, height, width, channels], got shape [4,4,1] (rank 3)',
    );
    expect(() => avgPool(x4([1, 3, 3, 1]), { poolSize: 4 })).toThrow(
      "avgPool: the pool window 4×4 is larger than the input 3×3 of x [1,3,3,1] ([batch, height, width, channels]) with padding 'valid', so the output would be 0×0; use padding 'same' or a smaller pool window",
    );
    expect(() => maxPool(x4([1, 3, 3, 1]), undefined as never)).toThrow('maxPool: needs options with at least poolSize, e.g. { poolSize: 2 }');
    expect(() => maxPool(x4([1, 3, 3, 1]), {} as never)).toThrow('maxPool: poolSize must be a positive integer');
    expect(() => maxPool(x4([1, 3, 3, 1]), { poolSize: 2, size: 3 } as never)).toThrow('maxPool: unknown option "size"');
    expect(() => maxPoolBackward(x4([1, 2, 2, 1]), x4([1, 4, 4, 1], 'float64'), { poolSize: 2 })).toThrow(DTypeError);
    expect(() => maxPoolBackward(x4([1, 1, 2, 1]), x4([1, 4, 4, 1]), { poolSize: 2 })).toThrow(
      "maxPoolBackward: dy has shape [1,1,2,1], expected [1,2,2,1] ([batch, outHeight, outWidth, outChannels] of maxPool of x [1,4,4,1] with poolSize 2×2, strides 2×2, dilations 1×1, padding 'valid')",
    );
    expect(() => avgPoolBackward(x4([1, 2, 2, 1]), [1, 4, 4], { poolSize: 2 })).toThrow(
      'avgPoolBackward: inputShape must be 4-D [batch, height, width, channels]',
    );
  });
});

describe('moments and batch normalization', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], { shape: [2, 2, 1, 2], dtype: 'float64' });

  it('moments: per-channel mean and population variance, keepDims, all axes by default', () => {
    // Channel 0 holds 1, 3, 5, 7 (mean 4, variance 5); channel 1 holds 2, 4, 6, 8.
    const { mean, variance } = moments(x, { axis: [0, 1, 2] });
    expect(Array.from(mean.data)).toEqual([4, 5]);
    expect(Array.from(variance.data)).toEqual([5, 5]);
    expect(moments(x, { axis: [0, 1, 2], keepDims: true }).mean.shape).toEqual([1, 1, 1, 2]);
    expect(moments(x).variance.shape).toEqual([]);
    expect(() => moments(x, { axes: [0] } as never)).toThrow('moments: unknown option "axes"; the options are axis, keepDims');
    expect(() => moments(zeros([2, 2], { dtype: 'int32' }))).toThrow(DTypeError);
  });

  it('batchNormalization normalizes with scale and offset; checks what it broadcasts', () => {
    const mean = tensor([4, 5], { dtype: 'float64' });
    const variance = tensor([5, 5], { dtype: 'float64' });
    const y = batchNormalization(x, mean, variance, { epsilon: 0, scale: tensor([2, 1], { dtype: 'float64' }), offset: tensor([0, 10], { dtype: 'float64' }) });
    expect(y.data[0]).toBeCloseTo((2 * (1 - 4)) / Math.sqrt(5), 12);
    expect(y.data[1]).toBeCloseTo(10 + (2 - 5) / Math.sqrt(5), 12);
    expect(() => batchNormalization(x, tensor([0, 0, 0], { dtype: 'float64' }), variance)).toThrow(
      'batchNormalization: mean [3] does not broadcast to x [2,2,1,2] (per-channel statistics of an NHWC x [batch, height, width, channels] are [channels])',
    );
    expect(() => batchNormalization(x, mean, tensor([[1, 1]], { dtype: 'float64' }))).toThrow(
      'batchNormalization: variance has shape [1,2], mean has [2]; they must be the same',
    );
    expect(() => batchNormalization(x, mean, variance, { epsilon: -1 })).toThrow(ValueError);
    expect(() => batchNormalization(x, mean, tensor([5, 5]))).toThrow(DTypeError);
  });

  it('batchNormalizationBackward returns dx, and dscale/doffset in the statistics shape', () => {
    const { mean, variance } = moments(x, { axis: [0, 1, 2] });
    const dy = tensor([1, 0, 0, 0, 0, 0, 0, 0], { shape: x.shape, dtype: 'float64' });
    const g = batchNormalizationBackward(dy, x, mean, variance);
    expect(g.dx.shape).toEqual(x.shape);
    expect(g.doffset.shape).toEqual([2]);
    expect(Array.from(g.doffset.data)).toEqual([1, 0]);
    expect(g.dscale.data[0]).toBeCloseTo((1 - 4) / Math.sqrt(5.001), 12);
    expect(() => batchNormalizationBackward(dy.reshape([2, 2, 2, 1]), x, mean, variance)).toThrow('dy has shape [2,2,2,1], x has [2,2,1,2]');
  });
});

describe('moments and batch normalization into given destinations', () => {
  const x = tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3 + (i % 3)), { shape: [2, 2, 2, 3], dtype: 'float64' });
  const stale = (shape: number[]) => full(shape, Number.NaN, { dtype: 'float64' });

  it('write the same values as freshly allocated results, over whatever the destinations held', () => {
    for (const axis of [[0, 1, 2], [0, 2]]) {
      const fresh = moments(x, { axis });
      const out = { mean: stale(fresh.mean.shape as number[]), variance: stale(fresh.mean.shape as number[]) };
      const given = moments(x, { axis, out });
      expect(given.mean).toBe(out.mean);
      expect(Array.from(out.mean.data)).toEqual(Array.from(fresh.mean.data));
      expect(Array.from(out.variance.data)).toEqual(Array.from(fresh.variance.data));
    }
    const { mean, variance } = moments(x, { axis: [0, 1, 2] });
    const scale = tensor([1, 2, 0.5], { dtype: 'float64' });
    const y = stale(x.shape as number[]);
    expect(batchNormalization(x, mean, variance, { scale, out: y })).toBe(y);
    expect(Array.from(y.data)).toEqual(Array.from(batchNormalization(x, mean, variance, { scale }).data));
    const dy = tensor(Array.from({ length: 24 }, (_, i) => Math.cos(i)), { shape: x.shape, dtype: 'float64' });
    const fresh = batchNormalizationBackward(dy, x, mean, variance, { scale });
    const out = { dx: stale(x.shape as number[]), dscale: stale([3]), doffset: stale([3]) };
    expect(batchNormalizationBackward(dy, x, mean, variance, { scale, out })).toBe(out);
    for (const key of ['dx', 'dscale', 'doffset'] as const) expect(Array.from(out[key].data), key).toEqual(Array.from(fresh[key].data));
    // Statistics over other axes are composed from ops, and still land in out.
    const m = moments(x, { axis: [0, 1], keepDims: true });
    const composed = batchNormalizationBackward(dy, x, m.mean, m.variance, { axis: [0, 1] });
    const out2 = { dx: stale(x.shape as number[]), dscale: stale([1, 1, 2, 3]), doffset: stale([1, 1, 2, 3]) };
    batchNormalizationBackward(dy, x, m.mean, m.variance, { axis: [0, 1], out: out2 });
    expect(Array.from(out2.dx.data)).toEqual(Array.from(composed.dx.data));
    expect(Array.from(out2.dscale.data)).toEqual(Array.from(composed.dscale.data));
  });

  it('refuse destinations of the wrong shape or dtype, incomplete, or overlapping an input', () => {
    const { mean, variance } = moments(x, { axis: [0, 1, 2] });
    expect(() => moments(x, { axis: [0, 1, 2], out: { mean: zeros([3], { dtype: 'float64' }) } as never })).toThrow('moments: out must hold both mean and variance');
    expect(() => moments(x, { axis: [0, 1, 2], out: { mean: zeros([2], { dtype: 'float64' }), variance: zeros([3], { dtype: 'float64' }) } })).toThrow(/moments: out\.mean has shape \[2\], expected \[3\]/);
    expect(() => moments(x, { axis: [0, 1, 2], out: { mean: zeros([3]), variance: zeros([3]) } })).toThrow(DTypeError);
    const same = zeros([3], { dtype: 'float64' });
    expect(() => moments(x, { axis: [0, 1, 2], out: { mean: same, variance: same } })).toThrow(/out\.variance .*out\.mean/);
    expect(() => batchNormalization(x, mean, variance, { out: x })).toThrow(/batchNormalization: out .* x/);
    const dy = zeros(x.shape, { dtype: 'float64' });
    expect(() => batchNormalizationBackward(dy, x, mean, variance, { out: { dx: dy, dscale: zeros([3], { dtype: 'float64' }), doffset: zeros([3], { dtype: 'float64' }) } })).toThrow(
      /batchNormalizationBackward: out\.dx .* dy/,
    );
    expect(() => batchNormalizationBackward(dy, x, mean, variance, { out: null as never })).toThrow(/out must be \{ dx, dscale, doffset \}/);
  });
});

describe('the convolution ops without a backend', () => {
  it('throw a BackendError naming the op', () => {
    clearBackend();
    expect(() => conv2d(x4([1, 3, 3, 1]), x4([1, 1, 1, 1]))).toThrow(BackendError);
    expect(() => maxPool(x4([1, 2, 2, 1]), { poolSize: 2 })).toThrow(/^maxPool: no backend is set/);
  });
});
