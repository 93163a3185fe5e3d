import type { DType, Tensor } from '@scratchnet/tensor';
import { assertMatches } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';

/** Random logits, or rows mixing logits near +1e4 and -1e4 (naive exp overflows to Infinity). */
export function logits(h: Harness, shape: readonly number[], dtype: DType, huge: boolean): Tensor {
  const x = h.random(shape, dtype, { low: -4, high: 4 });
  if (huge) for (let i = 0; i < x.size; i++) x.data[i] = (h.rng.next() < 0.5 ? -1e4 : 1e4) + x.data[i]!;
  return x;
}

function softmaxShapes(ctx: SuiteContext): number[][] {
  return [[1, 1], [3, 1], [1, 7], [4, 5], [0, 5], [3, 0], [2, 3, 9], [7], ...ctx.sizes.filter((c) => c > 0).map((c) => [3, c])];
}

function checkForward(h: Harness, kind: 'softmax' | 'logSoftmax', shape: readonly number[], dtype: DType, huge: boolean, inPlace: boolean): void {
  const x = logits(h, shape, dtype, huge);
  const expected = h.refZeros(shape, dtype);
  h.ref[kind](h.up(x), expected);
  const what = `${kind}(${dtype} [${shape.join(',')}]${huge ? ', logits near ±1e4' : ''})${inPlace ? ' in place' : ''}`;
  if (inPlace) {
    h.kernels[kind](x, x);
    assertMatches(what, x, expected);
  } else {
    const out = h.garbage(shape, dtype);
    h.run(what, [x], () => h.kernels[kind](x, out));
    assertMatches(what, out, expected);
  }
}

function checkBackward(h: Harness, shape: readonly number[], dtype: DType): void {
  const y = h.zeros(shape, dtype);
  h.ref.softmax(logits(h, shape, dtype, false), y);
  const dy = h.random(shape, dtype, { low: -2, high: 2 });
  const expected = h.refZeros(shape, dtype);
  h.ref.softmaxBackward(h.up(y), h.up(dy), expected);
  const dx = h.garbage(shape, dtype);
  const what = `softmaxBackward(${dtype} [${shape.join(',')}])`;
  h.run(what, [y, dy], () => h.kernels.softmaxBackward(y, dy, dx));
  // dx = y (dy - sum(dy y)): its terms are bounded by y (|dy| + max|dy|) <= 4y.
  const mag = h.up(y);
  for (let i = 0; i < mag.size; i++) mag.data[i] = 4 * mag.data[i]!;
  assertMatches(what, dx, expected, mag.data);
}

export function registerSoftmax(ctx: SuiteContext): void {
  ctx.api.describe('softmax', () => {
    for (const kind of ['softmax', 'logSoftmax'] as const) {
      for (const dtype of ['float32', 'float64'] as const) {
        ctx.test(`${kind} ${dtype} over the last axis`, (h) => {
          for (const shape of softmaxShapes(ctx)) checkForward(h, kind, shape, dtype, false, false);
        });
        ctx.test(`${kind} ${dtype} with logits near ±1e4 stays finite and exact`, (h) => {
          for (const shape of [[1, 1], [4, 5], [3, 33], [2, 129]]) checkForward(h, kind, shape, dtype, true, false);
        });
      }
    }
    for (const dtype of ['float32', 'float64'] as const) {
      ctx.test(`softmax ${dtype} in place`, (h) => {
        checkForward(h, 'softmax', [5, 17], dtype, false, true);
        checkForward(h, 'softmax', [2, 65], dtype, true, true);
      });
      ctx.test(`softmaxBackward ${dtype}`, (h) => {
        for (const shape of softmaxShapes(ctx)) checkBackward(h, shape, dtype);
      });
    }
  });
}
