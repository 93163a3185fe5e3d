import type { DType, Tensor } from '@scratchnet/tensor';
import { assertClose, rtolFor } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';

const FLOATS: readonly DType[] = ['float32', 'float64'];

/** `[x shape, statistics shape]`: channels-last data, statistics per trailing axes (any shape of as many elements). */
const SHAPES: ReadonlyArray<readonly [readonly number[], readonly number[]]> = [
  [[1, 1], [1]],
  [[5, 1], [1]],
  [[1, 7], [7]],
  [[7, 3], [3]],
  [[33, 17], [17]],
  [[4, 7, 7, 8], [8]],
  [[3, 5, 4, 5], [1, 1, 1, 5]],
  [[6, 4, 3], [4, 3]],
  [[65, 64], [64]],
  [[129, 2], [2]],
];

const termsScale = (terms: number): number => Math.max(1, terms / 128);

function describe(kernel: string, dtype: DType, x: readonly number[], stats: readonly number[], extra = ''): string {
  return `${kernel}(${dtype} x [${x.join(',')}], statistics [${stats.join(',')}]${extra})`;
}

/** Inputs of a case: data off-centre (mean ≈ 102, spread 5), so a one-pass variance would lose digits. */
function inputs(h: Harness, xShape: readonly number[], stats: readonly number[], dtype: DType) {
  const x = h.random(xShape, dtype, { low: 100, high: 105 });
  const mean = h.zeros(stats, dtype);
  const variance = h.zeros(stats, dtype);
  h.ref.moments(h.up(x), mean, variance);
  return {
    x,
    mean,
    variance,
    scale: h.random(stats, dtype, { low: 0.5, high: 2 }),
    offset: h.random(stats, dtype, { low: -1, high: 1 }),
    dy: h.random(xShape, dtype, { low: -1, high: 1 }),
  };
}

function checkMoments(h: Harness, xShape: readonly number[], stats: readonly number[], dtype: DType): void {
  const x = h.random(xShape, dtype, { low: 100, high: 105 });
  const mean = h.garbage(stats, dtype);
  const variance = h.garbage(stats, dtype);
  const what = describe('moments', dtype, xShape, stats);
  h.run(what, [x], () => h.kernels.moments(x, mean, variance));
  const expectedMean = h.refZeros(stats, dtype);
  const expectedVariance = h.refZeros(stats, dtype);
  h.ref.moments(h.up(x), expectedMean, expectedVariance);
  const rows = stats.length === 0 || x.size === 0 ? 0 : x.size / mean.size;
  const rtol = rtolFor(dtype) * termsScale(rows);
  assertClose(`${what} mean`, mean, expectedMean, { rtol, mag: 105 });
  // The deviations are at most 5: squared sums of them, relative to 25.
  assertClose(`${what} variance`, variance, expectedVariance, { rtol, mag: 25 });
}

function checkForward(h: Harness, xShape: readonly number[], stats: readonly number[], dtype: DType, withParameters: boolean, inPlace: boolean): void {
  const { x, mean, variance, scale, offset } = inputs(h, xShape, stats, dtype);
  const s = withParameters ? scale : null;
  const o = withParameters ? offset : null;
  const what = describe('batchNormalization', dtype, xShape, stats, `${withParameters ? ', scale and offset' : ''}${inPlace ? ', in place' : ''}`);
  const expected = h.refZeros(xShape, dtype);
  h.ref.batchNormalization(h.up(x), h.up(mean), h.up(variance), s && h.up(s), o && h.up(o), 0.001, expected);
  // |x - mean| · |scale| / sqrt(variance + ε) + |offset|, with |x - mean| bounded by |x| + |mean|.
  const mag = h.refZeros(xShape, dtype);
  const abs = (t: Tensor, sign = 1): Tensor => {
    const a = h.up(t);
    for (let i = 0; i < a.size; i++) a.data[i] = sign * Math.abs(a.data[i]!);
    return a;
  };
  h.ref.batchNormalization(abs(x), abs(mean, -1), h.up(variance), s && abs(s), o && abs(o), 0.001, mag);
  if (inPlace) {
    h.kernels.batchNormalization(x, mean, variance, s, o, 0.001, x);
    assertClose(what, x, expected, { rtol: rtolFor(dtype), mag: mag.data });
  } else {
    const out = h.garbage(xShape, dtype);
    h.run(what, s && o ? [x, mean, variance, s, o] : [x, mean, variance], () => h.kernels.batchNormalization(x, mean, variance, s, o, 0.001, out));
    assertClose(what, out, expected, { rtol: rtolFor(dtype), mag: mag.data });
  }
}

function checkBackward(h: Harness, xShape: readonly number[], stats: readonly number[], dtype: DType, withScale: boolean, inPlace: boolean): void {
  const { x, mean, variance, scale, dy } = inputs(h, xShape, stats, dtype);
  const s = withScale ? scale : null;
  const what = describe('batchNormalizationBackward', dtype, xShape, stats, `${withScale ? ', scale' : ''}${inPlace ? ', dx in place over dy' : ''}`);
  const channels = mean.size;
  const rows = x.size / channels;
  const expectedDx = h.refZeros(xShape, dtype);
  const expectedDscale = h.refZeros(stats, dtype);
  const expectedDoffset = h.refZeros(stats, dtype);
  h.ref.batchNormalizationBackward(h.up(dy), h.up(x), h.up(mean), h.up(variance), s && h.up(s), 0.001, expectedDx, expectedDscale, expectedDoffset);
  // Error scales: sums of |dy| and |dy·x̂| per channel, and each dx's terms.
  const sumDy = new Float64Array(channels);
  const sumDyXhat = new Float64Array(channels);
  const xhat = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) {
    const c = i % channels;
    xhat[i] = (x.data[i]! - mean.data[c]!) / Math.sqrt(variance.data[c]! + 0.001);
    sumDy[c] = sumDy[c]! + Math.abs(dy.data[i]!);
    sumDyXhat[c] = sumDyXhat[c]! + Math.abs(dy.data[i]! * xhat[i]!);
  }
  const dxMag = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) {
    const c = i % channels;
    const gain = Math.abs(s === null ? 1 : s.data[c]!) / Math.sqrt(variance.data[c]! + 0.001);
    dxMag[i] = gain * (Math.abs(dy.data[i]!) + sumDy[c]! / rows + (Math.abs(xhat[i]!) * sumDyXhat[c]!) / rows);
  }
  const dscale = h.garbage(stats, dtype);
  const doffset = h.garbage(stats, dtype);
  const dx = inPlace ? dy : h.garbage(xShape, dtype);
  const rtol = rtolFor(dtype) * termsScale(rows);
  if (inPlace) h.kernels.batchNormalizationBackward(dy, x, mean, variance, s, 0.001, dx, dscale, doffset);
  else h.run(what, s ? [dy, x, mean, variance, s] : [dy, x, mean, variance], () => h.kernels.batchNormalizationBackward(dy, x, mean, variance, s, 0.001, dx, dscale, doffset));
  assertClose(`${what} dx`, dx, expectedDx, { rtol, mag: dxMag });
  assertClose(`${what} dscale`, dscale, expectedDscale, { rtol, mag: sumDyXhat });
  assertClose(`${what} doffset`, doffset, expectedDoffset, { rtol, mag: sumDy });
}

export function registerBatchNormalization(ctx: SuiteContext): void {
  ctx.api.describe('batch normalization', () => {
    for (const dtype of FLOATS) {
      ctx.test(`moments ${dtype}, off-centre data`, (h) => {
        for (const [x, stats] of SHAPES) checkMoments(h, x, stats, dtype);
        checkMoments(h, [0, 3], [3], dtype); // no rows: NaN statistics
      });
      ctx.test(`batchNormalization ${dtype}, with and without scale and offset, in place`, (h) => {
        for (const [x, stats] of SHAPES) {
          checkForward(h, x, stats, dtype, true, false);
          checkForward(h, x, stats, dtype, false, false);
        }
        checkForward(h, [9, 5], [5], dtype, true, true);
      });
      ctx.test(`batchNormalizationBackward ${dtype}, with and without scale, dx over dy`, (h) => {
        for (const [x, stats] of SHAPES) {
          checkBackward(h, x, stats, dtype, true, false);
          checkBackward(h, x, stats, dtype, false, false);
        }
        checkBackward(h, [9, 5], [5], dtype, true, true);
      });
    }
  });
}
