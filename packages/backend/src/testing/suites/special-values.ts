import type { DType } from '@scratchnet/tensor';
import { ACTIVATION_OPS, UNARY_OPS, unarySpec } from '../../spec/unary.js';
import { assertIdentical } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';

/**
 * NaN, infinities, signed zeros, subnormals (of float32 and of float64) and ordinary values.
 * Kernels that work on the bits of numbers, or that are written as comparisons, get these wrong
 * first; random inputs never contain them.
 */
const SPECIALS = [
  NaN, -NaN, Infinity, -Infinity, 0, -0, 1, -1, 2.5, -2.5, 3.4e38, -3.4e38, 1.7e308, -1.7e308,
  1e-40, -1e-40, 1e-45, -1e-45, 5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308,
];

/** The specials spread over `length` elements in a fixed shuffled order, so every lane of an unrolled loop sees each. */
function specials(h: Harness, length: number, offset: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(SPECIALS[(i * 7 + offset + h.rng.int(0, 2)) % SPECIALS.length]!);
  return out;
}

/** The ops whose spec row asks for exact results on special values, with their test parameters. */
const UNARY = UNARY_OPS.filter((op) => unarySpec(op).test.exactOnSpecials === true).map((op) => [op, unarySpec(op).test.params] as const);

/** Their backward forms too: they select or scale `dy`, so they can be exact. */
const BACKWARD = ACTIVATION_OPS.filter((op) => unarySpec(op).test.exactOnSpecials === true).map((op) => [op, unarySpec(op).test.params] as const);

const LENGTH = 133;

export function registerSpecialValues(ctx: SuiteContext): void {
  ctx.api.describe('special values (NaN, ±Infinity, ±0, subnormals)', () => {
    for (const dtype of ['float32', 'float64'] as DType[]) {
      for (const [op, params] of UNARY) {
        ctx.test(`unary ${op} ${dtype}`, (h) => {
          for (const offset of [0, 3]) {
            const x = h.from(specials(h, LENGTH, offset), [LENGTH], dtype);
            const expected = h.refZeros([LENGTH], dtype);
            h.ref.unary(op, h.up(x), expected, params);
            const out = h.garbage([LENGTH], dtype);
            const what = `unary ${op}(${dtype} [${LENGTH}] of special values)`;
            h.run(what, [x], () => h.kernels.unary(op, x, out, params));
            assertIdentical(what, out, expected);
            h.kernels.unary(op, x, x, params);
            assertIdentical(`${what} in place`, x, expected);
          }
        });
      }
      for (const [op, params] of BACKWARD) {
        ctx.test(`activationBackward ${op} ${dtype}`, (h) => {
          // Every saved special against every dy special.
          const n = SPECIALS.length;
          const saved = h.from(Array.from({ length: n * n }, (_, i) => SPECIALS[Math.floor(i / n)]!), [n, n], dtype);
          const dy = h.from(Array.from({ length: n * n }, (_, i) => SPECIALS[i % n]!), [n, n], dtype);
          const expected = h.refZeros([n, n], dtype);
          h.ref.activationBackward(op, h.up(saved), h.up(dy), expected, params);
          const dx = h.garbage([n, n], dtype);
          const what = `activationBackward ${op}(${dtype} [${n},${n}] of special values)`;
          h.run(what, [saved, dy], () => h.kernels.activationBackward(op, saved, dy, dx, params));
          assertIdentical(what, dx, expected);
        });
      }
    }
  });
}
