import type { DType, Tensor } from '@scratchnet/tensor';
import { conv2dInfo, filterShapeOf, outputShapeOf, type Conv2dInfo } from '../../spec/conv2d-info.js';
import { assertClose, rtolFor } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';
import { CONV_CASES, convOptions, type ConvCase } from './conv-cases.js';

const FLOATS: readonly DType[] = ['float32', 'float64'];

/** Float32 error of a sum grows with its number of terms (relative to the sum of their magnitudes). */
function termsScale(terms: number): number {
  return Math.max(1, terms / 128);
}

function abs(h: Harness, t: Tensor): Tensor {
  const a = h.up(t);
  for (let i = 0; i < a.size; i++) a.data[i] = Math.abs(a.data[i]!);
  return a;
}

export function convInfo(c: ConvCase): Conv2dInfo {
  return conv2dInfo('conformance', c.x, [c.filter[0], c.filter[1], c.x[3], c.filter[2]], convOptions(c));
}

function describe(kernel: string, dtype: DType, c: ConvCase, info: Conv2dInfo): string {
  return (
    `${kernel}(${dtype} x [${c.x.join(',')}], filter [${filterShapeOf(info).join(',')}], ${c.label}: ` +
    `strides ${info.strideHeight}x${info.strideWidth}, dilations ${info.dilationHeight}x${info.dilationWidth}, padding '${info.padding}')`
  );
}

/** The three inputs of a case, in the backend's memory. */
export function convInputs(h: Harness, c: ConvCase, dtype: DType): { x: Tensor; filter: Tensor; dy: Tensor; info: Conv2dInfo } {
  const info = convInfo(c);
  return {
    x: h.random(c.x, dtype, { low: -1, high: 1 }),
    filter: h.random(filterShapeOf(info), dtype, { low: -1, high: 1 }),
    dy: h.random(outputShapeOf(info), dtype, { low: -1, high: 1 }),
    info,
  };
}

function checkForward(h: Harness, c: ConvCase, dtype: DType): void {
  const { x, filter, info } = convInputs(h, c, dtype);
  const shape = outputShapeOf(info);
  const what = describe('conv2d', dtype, c, info);
  const out = h.garbage(shape, dtype);
  h.run(what, [x, filter], () => h.kernels.conv2d(x, filter, out, info));
  const expected = h.refZeros(shape, dtype);
  h.ref.conv2d(h.up(x), h.up(filter), expected, info);
  const mag = h.refZeros(shape, dtype);
  h.ref.conv2d(abs(h, x), abs(h, filter), mag, info);
  assertClose(what, out, expected, { rtol: rtolFor(dtype) * termsScale(info.filterHeight * info.filterWidth * info.inChannels), mag: mag.data });
}

function checkBackpropInput(h: Harness, c: ConvCase, dtype: DType): void {
  const { x, filter, dy, info } = convInputs(h, c, dtype);
  const what = describe('conv2dBackpropInput', dtype, c, info);
  const dx = h.garbage(x.shape, dtype);
  h.run(what, [dy, filter], () => h.kernels.conv2dBackpropInput(dy, filter, dx, info));
  const expected = h.refZeros(x.shape, dtype);
  h.ref.conv2dBackpropInput(h.up(dy), h.up(filter), expected, info);
  const mag = h.refZeros(x.shape, dtype);
  h.ref.conv2dBackpropInput(abs(h, dy), abs(h, filter), mag, info);
  assertClose(what, dx, expected, { rtol: rtolFor(dtype) * termsScale(info.filterHeight * info.filterWidth * info.outChannels), mag: mag.data });
}

function checkBackpropFilter(h: Harness, c: ConvCase, dtype: DType, accumulate: boolean): void {
  const { x, filter, dy, info } = convInputs(h, c, dtype);
  const what = `${describe('conv2dBackpropFilter', dtype, c, info)}${accumulate ? ' accumulate' : ''}`;
  const df = accumulate ? h.random(filter.shape, dtype, { low: -2, high: 2 }) : h.garbage(filter.shape, dtype);
  const expected = h.up(df);
  const mag = abs(h, df);
  h.run(what, [x, dy], () => h.kernels.conv2dBackpropFilter(x, dy, df, info, accumulate));
  h.ref.conv2dBackpropFilter(h.up(x), h.up(dy), expected, info, accumulate);
  h.ref.conv2dBackpropFilter(abs(h, x), abs(h, dy), mag, info, accumulate);
  assertClose(what, df, expected, { rtol: rtolFor(dtype) * termsScale(info.batch * info.outHeight * info.outWidth), mag: mag.data });
}

export function registerConv2d(ctx: SuiteContext): void {
  ctx.api.describe('conv2d', () => {
    for (const dtype of FLOATS) {
      ctx.test(`conv2d ${dtype} on edge shapes`, (h) => {
        for (const c of CONV_CASES) checkForward(h, c, dtype);
      });
      ctx.test(`conv2dBackpropInput ${dtype} on edge shapes`, (h) => {
        for (const c of CONV_CASES) checkBackpropInput(h, c, dtype);
      });
      ctx.test(`conv2dBackpropFilter ${dtype} on edge shapes, overwriting and accumulating`, (h) => {
        for (const c of CONV_CASES) {
          checkBackpropFilter(h, c, dtype, false);
          checkBackpropFilter(h, c, dtype, true);
        }
      });
    }
  });
}
