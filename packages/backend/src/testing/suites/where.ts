import type { DType } from '@scratchnet/tensor';
import { assertIdentical } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';

function checkWhere(h: Harness, n: number, dtype: DType, condDType: DType, inPlace: '' | 'a' | 'b' | 'cond'): void {
  // Conditions of 0 and non-zero values (negative, fractional, NaN for floats: all true).
  const cond = h.random([n], condDType, { low: -2, high: 2, integers: true });
  if (condDType !== 'int32') for (let i = 3; i < n; i += 7) cond.data[i] = i % 2 === 0 ? NaN : 0.5;
  const a = h.random([n], dtype, { low: -5, high: 5 });
  const b = h.random([n], dtype, { low: -5, high: 5 });
  const expected = h.refZeros([n], dtype);
  h.ref.where(h.up(cond), h.up(a), h.up(b), expected);
  const what = `where(${condDType} cond, ${dtype} a, b [${n}])${inPlace ? ` in place over ${inPlace}` : ''}`;
  if (inPlace) {
    const target = inPlace === 'a' ? a : inPlace === 'b' ? b : cond;
    h.kernels.where(cond, a, b, target);
    assertIdentical(what, target, expected);
  } else {
    const out = h.garbage([n], dtype);
    h.run(what, [cond, a, b], () => h.kernels.where(cond, a, b, out));
    assertIdentical(what, out, expected);
  }
}

export function registerWhere(ctx: SuiteContext): void {
  ctx.api.describe('where', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      ctx.test(`where ${dtype}, conditions of every dtype, in place`, (h) => {
        for (const condDType of ['float32', 'float64', 'int32'] as const) {
          for (const n of ctx.sizes) checkWhere(h, n, dtype, condDType, '');
        }
        checkWhere(h, 65, dtype, 'int32', 'a');
        checkWhere(h, 65, dtype, 'float32', 'b');
        checkWhere(h, 65, dtype, dtype, 'cond');
      });
    }
  });
}
