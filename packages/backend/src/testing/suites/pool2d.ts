import type { DType, Tensor } from '@scratchnet/tensor';
import { outputShapeOf, pool2dInfo, type Conv2dInfo } from '../../spec/conv2d-info.js';
import { assertClose, assertExact, assertIdentical, rtolFor } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';
import { POOL_CASES, poolOptions, type PoolCase } from './conv-cases.js';

const FLOATS: readonly DType[] = ['float32', 'float64'];

/** Inputs: random values; small integers (ties everywhere, so the first maximum must win); or specials. */
export type PoolValues = 'random' | 'ties' | 'specials';

export function poolInfo(c: PoolCase): Conv2dInfo {
  return pool2dInfo('conformance', c.x, poolOptions(c));
}

function describe(kernel: string, dtype: DType, c: PoolCase, info: Conv2dInfo, values: PoolValues): string {
  return (
    `${kernel}(${dtype} x [${c.x.join(',')}], ${c.label}: poolSize ${info.filterHeight}x${info.filterWidth}, ` +
    `strides ${info.strideHeight}x${info.strideWidth}, padding '${info.padding}', ${values} values)`
  );
}

const SPECIALS = [NaN, -Infinity, Infinity, -0, 0];

function poolInput(h: Harness, c: PoolCase, dtype: DType, values: PoolValues): Tensor {
  if (values === 'ties') return h.random(c.x, dtype, { low: 0, high: 2, integers: true });
  const x = h.random(c.x, dtype, { low: -3, high: 3 });
  if (values === 'specials') {
    // Sparse specials, and one window-sized block of -Infinity (a max of nothing but -Infinity).
    for (let i = 0; i < x.size; i++) if (h.rng.next() < 0.08) x.data[i] = h.rng.pick(SPECIALS);
    const block = Math.min(x.size, 4 * c.x[3]);
    for (let i = 0; i < block; i++) x.data[i] = -Infinity;
  }
  return x;
}

function abs(h: Harness, t: Tensor): Tensor {
  const a = h.up(t);
  for (let i = 0; i < a.size; i++) a.data[i] = Math.abs(a.data[i]!);
  return a;
}

function checkPool(h: Harness, c: PoolCase, dtype: DType, values: PoolValues): void {
  const info = poolInfo(c);
  const x = poolInput(h, c, dtype, values);
  const shape = outputShapeOf(info);
  const taps = info.filterHeight * info.filterWidth;

  let what = describe('maxPool', dtype, c, info, values);
  let out = h.garbage(shape, dtype);
  h.run(what, [x], () => h.kernels.maxPool(x, out, info));
  let expected = h.refZeros(shape, dtype);
  h.ref.maxPool(h.up(x), expected, info);
  // A max selects one of its inputs: exact, NaN included.
  assertIdentical(what, out, expected);

  what = describe('avgPool', dtype, c, info, values);
  out = h.garbage(shape, dtype);
  h.run(what, [x], () => h.kernels.avgPool(x, out, info));
  expected = h.refZeros(shape, dtype);
  h.ref.avgPool(h.up(x), expected, info);
  if (values === 'specials') {
    assertClose(what, out, expected, { rtol: rtolFor(dtype) * Math.max(1, taps / 128), mag: 1 });
  } else {
    const mag = h.refZeros(shape, dtype);
    h.ref.avgPool(abs(h, x), mag, info);
    assertClose(what, out, expected, { rtol: rtolFor(dtype) * Math.max(1, taps / 128), mag: mag.data });
  }
}

function checkPoolBackward(h: Harness, c: PoolCase, dtype: DType, values: PoolValues): void {
  const info = poolInfo(c);
  const x = poolInput(h, c, dtype, values);
  const dy = h.random(outputShapeOf(info), dtype, { low: -1, high: 1 });
  // Terms per input element: the windows covering it.
  const overlap = Math.ceil(info.filterHeight / info.strideHeight) * Math.ceil(info.filterWidth / info.strideWidth);
  const rtol = rtolFor(dtype) * Math.max(1, overlap / 128);

  let what = describe('maxPoolBackward', dtype, c, info, values);
  let dx = h.garbage(c.x, dtype);
  h.run(what, [x, dy], () => h.kernels.maxPoolBackward(x, dy, dx, info));
  let expected = h.refZeros(c.x, dtype);
  h.ref.maxPoolBackward(h.up(x), h.up(dy), expected, info);
  let mag = h.refZeros(c.x, dtype);
  h.ref.maxPoolBackward(h.up(x), abs(h, dy), mag, info);
  // Without overlap every element is one window's dy or 0: exact.
  if (overlap === 1) assertExact(what, dx, expected);
  else assertClose(what, dx, expected, { rtol, mag: mag.data });

  if (values !== 'random') return;
  what = describe('avgPoolBackward', dtype, c, info, values);
  dx = h.garbage(c.x, dtype);
  h.run(what, [dy], () => h.kernels.avgPoolBackward(dy, dx, info));
  expected = h.refZeros(c.x, dtype);
  h.ref.avgPoolBackward(h.up(dy), expected, info);
  mag = h.refZeros(c.x, dtype);
  h.ref.avgPoolBackward(abs(h, dy), mag, info);
  assertClose(what, dx, expected, { rtol, mag: mag.data });
}

export function registerPool2d(ctx: SuiteContext): void {
  ctx.api.describe('pooling', () => {
    for (const dtype of FLOATS) {
      for (const values of ['random', 'ties', 'specials'] as const) {
        ctx.test(`maxPool and avgPool ${dtype} on edge shapes, ${values} values`, (h) => {
          for (const c of POOL_CASES) checkPool(h, c, dtype, values);
        });
        ctx.test(`maxPoolBackward${values === 'random' ? ' and avgPoolBackward' : ''} ${dtype} on edge shapes, ${values} values`, (h) => {
          for (const c of POOL_CASES) checkPoolBackward(h, c, dtype, values);
        });
      }
    }
  });
}
