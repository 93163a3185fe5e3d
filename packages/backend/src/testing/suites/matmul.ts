import type { DType, Tensor } from '@scratchnet/tensor';
import { assertClose, rtolFor } from '../check.js';
import { EDGE_SIZES, describeArgs, type Harness, type SuiteContext } from '../harness.js';

const FLOATS: readonly DType[] = ['float32', 'float64'];
const COMBOS: ReadonlyArray<readonly [boolean, boolean]> = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** Mixed shapes from the edge sizes, cubes that straddle tiles, and long thin products. */
function matmulShapes(ctx: SuiteContext): Array<readonly [number, number, number]> {
  const s = EDGE_SIZES;
  const shapes: Array<readonly [number, number, number]> = [];
  for (let i = 0; i < s.length; i++) shapes.push([s[i]!, s[(i + 5) % s.length]!, s[(i + 11) % s.length]!]);
  for (const c of [1, 3, 8, 16, 17, 33, 64, 65, 129]) shapes.push([c, c, c]);
  shapes.push([129, 3, 5], [1, 129, 1], [3, 1, 129], [65, 7, 1], [2, 0, 3]);
  return [...shapes, ...(ctx.options.extraMatmulShapes ?? [])];
}

function operandShapes(m: number, k: number, n: number, ta: boolean, tb: boolean): [number[], number[]] {
  return [ta ? [k, m] : [m, k], tb ? [n, k] : [k, n]];
}

/** Float32 error of a length-k dot product grows with k (relative to sum |a_i b_i|). */
function kScale(k: number): number {
  return Math.max(1, k / 128);
}

/**
 * Runs the backend's matmul and the reference's on float64 copies, plus the reference on
 * |a|, |b| for the error scale, and compares.
 */
function checkMatmul(h: Harness, label: string, a: Tensor, b: Tensor, out: Tensor, ta: boolean, tb: boolean, accumulate: boolean, k: number): void {
  const what = `matmul(${describeArgs(out.dtype as DType, { a, b })}, transposeA=${ta}, transposeB=${tb}, accumulate=${accumulate})${label ? ` ${label}` : ''}`;
  const expected = h.up(out);
  const mag = h.up(out);
  for (let i = 0; i < mag.size; i++) mag.data[i] = Math.abs(mag.data[i]!);
  const absA = h.up(a);
  const absB = h.up(b);
  for (const t of [absA, absB]) for (let i = 0; i < t.size; i++) t.data[i] = Math.abs(t.data[i]!);
  h.run(what, [a, b], () => h.kernels.matmul(a, b, out, { transposeA: ta, transposeB: tb, accumulate }));
  h.ref.matmul(h.up(a), h.up(b), expected, { transposeA: ta, transposeB: tb, accumulate });
  h.ref.matmul(absA, absB, mag, { transposeA: ta, transposeB: tb, accumulate });
  assertClose(what, out, expected, { rtol: rtolFor(out.dtype) * kScale(k), mag: mag.data });
}

export function registerMatmul(ctx: SuiteContext): void {
  ctx.api.describe('matmul', () => {
    for (const dtype of FLOATS) {
      for (const [ta, tb] of COMBOS) {
        ctx.test(`2-D ${dtype} transposeA=${ta} transposeB=${tb}`, (h) => {
          for (const [m, k, n] of matmulShapes(ctx)) {
            const [sa, sb] = operandShapes(m, k, n, ta, tb);
            const a = h.random(sa, dtype);
            const b = h.random(sb, dtype);
            checkMatmul(h, '', a, b, h.garbage([m, n], dtype), ta, tb, false, k);
          }
        });
      }
      ctx.test(`accumulate adds to out, ${dtype}, every transpose combination`, (h) => {
        for (const [ta, tb] of COMBOS) {
          for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [17, 0, 9], [33, 16, 65], [64, 65, 63]] as const) {
            const [sa, sb] = operandShapes(m, k, n, ta, tb);
            const out = h.random([m, n], dtype, { low: -2, high: 2 });
            checkMatmul(h, '', h.random(sa, dtype), h.random(sb, dtype), out, ta, tb, true, k);
          }
        }
      });
      for (const sharedB of [false, true]) {
        const kind = sharedB ? '3-D x 2-D (shared b)' : '3-D x 3-D';
        ctx.test(`batched ${kind} ${dtype}, every transpose combination, with and without accumulate`, (h) => {
          for (const [ta, tb] of COMBOS) {
            for (const batch of [0, 1, 2, 5]) {
              for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [0, 4, 3], [9, 17, 4], [16, 33, 17]] as const) {
                const [sa, sb] = operandShapes(m, k, n, ta, tb);
                const a = h.random([batch, ...sa], dtype);
                const b = h.random(sharedB ? sb : [batch, ...sb], dtype);
                checkMatmul(h, `batch ${batch}`, a, b, h.garbage([batch, m, n], dtype), ta, tb, false, k);
                checkMatmul(h, `batch ${batch}`, a, b, h.random([batch, m, n], dtype), ta, tb, true, k);
              }
            }
          }
        });
      }
    }
  });
}
