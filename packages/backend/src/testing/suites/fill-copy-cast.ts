import { DTYPES, type DType } from '@scratchnet/tensor';
import { assertExact } from '../check.js';
import type { SuiteContext } from '../harness.js';

/** Values whose conversion is easy to get wrong: negative fractions, -0, halves, large values. */
const TRICKY = [-2.7, -0.5, -0, 0, 0.5, 1.999, -1.999, 2.5, -3.5, 1e3 + 0.5, -123456.75, 7];

/** What storing `v` into `dtype` must give, written out: float to int32 truncates toward zero. */
function converted(v: number, dtype: DType): number {
  if (dtype === 'int32') return Math.trunc(v);
  if (dtype === 'float32') return Math.fround(v);
  return v;
}

export function registerFillCopyCast(ctx: SuiteContext): void {
  ctx.api.describe('fill, copy, cast', () => {
    for (const dtype of DTYPES) {
      ctx.test(`fill ${dtype}, also of a slice (other rows untouched)`, (h) => {
        const values = dtype === 'int32' ? [0, -7, 123456] : [0, -1.5, 0.1, 3e7];
        for (const n of ctx.sizes) {
          for (const value of values) {
            const out = h.garbage([n], dtype);
            h.kernels.fill(out, value);
            assertExact(`fill(${dtype} [${n}], ${value})`, out, new Array<number>(n).fill(converted(value, dtype)));
          }
        }
        const whole = h.random([6, 5], dtype, { low: -9, high: 9 });
        const before = Array.from(whole.data);
        h.kernels.fill(whole.slice(2, 4), 4);
        const expected = before.map((v, i) => (i >= 10 && i < 20 ? 4 : v));
        assertExact(`fill(${dtype} rows 2..4 of [6,5], 4)`, whole, expected);
      });
      ctx.test(`copy ${dtype} between shapes of equal size, and into a slice`, (h) => {
        for (const n of ctx.sizes) {
          const src = h.random([n], dtype, { low: -50, high: 50 });
          const dst = h.garbage(n % 2 === 0 && n > 0 ? [2, n / 2] : [n, 1], dtype);
          h.run(`copy(${dtype} [${n}])`, [src], () => h.kernels.copy(src, dst));
          assertExact(`copy(${dtype} [${n}] -> [${dst.shape.join(',')}])`, dst, src.data);
        }
        const whole = h.random([4, 3], dtype, { low: -9, high: 9 });
        const before = Array.from(whole.data);
        const src = h.random([1, 3], dtype, { low: 10, high: 20 });
        h.kernels.copy(src, whole.slice(1, 2));
        assertExact(`copy(${dtype} [1,3] into row 1 of [4,3])`, whole, before.map((v, i) => (i >= 3 && i < 6 ? src.data[i - 3]! : v)));
      });
    }
    for (const from of DTYPES) {
      for (const to of DTYPES) {
        ctx.test(`cast ${from} -> ${to}`, (h) => {
          const cases = [
            h.from(TRICKY.map((v) => converted(v, from)), [TRICKY.length], from),
            ...ctx.sizes.map((n) => h.random([n], from, { low: -1000, high: 1000 })),
            h.random([3, 0, 2], from),
          ];
          for (const src of cases) {
            const dst = h.garbage(src.shape, to);
            const what = `cast(${from} [${src.shape.join(',')}] -> ${to})`;
            h.run(what, [src], () => h.kernels.cast(src, dst));
            assertExact(what, dst, Array.from(src.data, (v) => converted(v, to)));
          }
        });
      }
    }
  });
}
