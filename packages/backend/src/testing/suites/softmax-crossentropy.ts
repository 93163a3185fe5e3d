import type { DType, Tensor } from '@scratchnet/tensor';
import { assertMatches } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';
import { logits } from './softmax.js';

export type LabelKind = 'sparse' | 'one-hot' | 'soft';

/** Labels for `[n,c]` logits: int32 class indices, one-hot rows, or soft rows summing to 1. */
export function labelsFor(h: Harness, kind: LabelKind, n: number, c: number, dtype: DType): Tensor {
  if (kind === 'sparse') return h.random([n], 'int32', { low: 0, high: c - 1 });
  const y = h.zeros([n, c], dtype);
  for (let i = 0; i < n; i++) {
    if (kind === 'one-hot') {
      y.data[i * c + h.rng.int(0, c - 1)] = 1;
      continue;
    }
    let total = 0;
    const row = Array.from({ length: c }, () => h.rng.next());
    for (const v of row) total += v;
    row.forEach((v, j) => (y.data[i * c + j] = v / total));
  }
  return y;
}

function checkSce(h: Harness, kind: LabelKind, n: number, c: number, dtype: DType, huge: boolean, withGrad: boolean, gradScale: number): void {
  const x = logits(h, [n, c], dtype, huge);
  const labels = labelsFor(h, kind, n, c, dtype);
  const expectedLoss = h.refZeros([n], dtype);
  const expectedGrad = h.refZeros([n, c], dtype);
  h.ref.softmaxCrossentropy(h.up(x), h.up(labels), expectedLoss, expectedGrad, gradScale);
  const losses = h.garbage([n], dtype);
  const dlogits = withGrad ? h.garbage([n, c], dtype) : null;
  const what = `softmaxCrossentropy(${dtype} logits [${n},${c}], ${kind} labels${huge ? ', logits near ±1e4' : ''}, gradScale ${gradScale})`;
  h.run(what, [x, labels], () => h.kernels.softmaxCrossentropy(x, labels, losses, dlogits, gradScale));
  assertMatches(`${what} losses`, losses, expectedLoss);
  if (dlogits) assertMatches(`${what} dlogits`, dlogits, expectedGrad, Math.abs(gradScale));
}

export function registerSoftmaxCrossentropy(ctx: SuiteContext): void {
  ctx.api.describe('softmaxCrossentropy', () => {
    for (const kind of ['sparse', 'one-hot', 'soft'] as const) {
      for (const dtype of ['float32', 'float64'] as const) {
        ctx.test(`${kind} labels ${dtype}, losses and gradient`, (h) => {
          for (const n of [0, 1, 3, 17, 33]) {
            for (const c of [1, 2, 5, 10, 33, 129]) {
              checkSce(h, kind, n, c, dtype, false, true, 1);
              checkSce(h, kind, n, c, dtype, false, false, 1);
            }
          }
          checkSce(h, kind, 8, 10, dtype, false, true, 0.125);
          checkSce(h, kind, 5, 7, dtype, false, true, -2);
        });
        ctx.test(`${kind} labels ${dtype} with logits near ±1e4`, (h) => {
          for (const [n, c] of [[1, 1], [4, 5], [3, 33], [2, 129]] as const) checkSce(h, kind, n, c, dtype, true, true, 0.5);
        });
      }
    }
  });
}
