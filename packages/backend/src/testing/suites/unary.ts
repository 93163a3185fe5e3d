import type { DType } from '@scratchnet/tensor';
import type { UnaryOp, UnaryParams } from '../../backend.js';
import { assertMatches } from '../check.js';
import type { Harness, RandomOptions, SuiteContext } from '../harness.js';

interface UnaryCase {
  op: UnaryOp;
  params?: UnaryParams;
  /** Input range for floats. */
  input: RandomOptions;
  /** Whether the op is defined for int32 (results stored by the Int32Array, i.e. truncated). */
  int32: boolean;
}

const CASES: readonly UnaryCase[] = [
  { op: 'neg', input: { low: -3, high: 3 }, int32: true },
  { op: 'abs', input: { low: -3, high: 3, zeroEvery: 5 }, int32: true },
  { op: 'sign', input: { low: -3, high: 3, zeroEvery: 4 }, int32: true },
  { op: 'exp', input: { low: -10, high: 10 }, int32: false },
  { op: 'log', input: { low: 0.01, high: 50 }, int32: false },
  { op: 'sqrt', input: { low: 0, high: 50 }, int32: false },
  { op: 'square', input: { low: -5, high: 5 }, int32: true },
  { op: 'reciprocal', input: { low: 0.1, high: 5 }, int32: false },
  { op: 'relu', input: { low: -3, high: 3, zeroEvery: 6 }, int32: true },
  { op: 'leakyRelu', params: { alpha: 0.1 }, input: { low: -3, high: 3, zeroEvery: 6 }, int32: false },
  { op: 'sigmoid', input: { low: -20, high: 20 }, int32: false },
  { op: 'tanh', input: { low: -5, high: 5 }, int32: false },
  { op: 'clip', params: { min: -0.5, max: 0.75 }, input: { low: -2, high: 2 }, int32: true },
  { op: 'scale', params: { alpha: -1.5 }, input: { low: -3, high: 3 }, int32: true },
];

function checkUnary(h: Harness, c: UnaryCase, shape: readonly number[], dtype: DType, params: UnaryParams | undefined, inPlace: boolean): void {
  const range = dtype === 'int32' ? { low: -40, high: 40 } : c.input;
  const x = h.random(shape, dtype, range);
  const expected = h.refZeros(shape, dtype);
  h.ref.unary(c.op, h.up(x), expected, params);
  const what = `unary ${c.op}(${dtype} [${shape.join(',')}]${params ? ` ${JSON.stringify(params)}` : ''})${inPlace ? ' in place' : ''}`;
  if (inPlace) {
    h.backend.unary(c.op, x, x, params);
    assertMatches(what, x, expected);
  } else {
    const out = h.garbage(shape, dtype);
    h.run(what, [x], () => h.backend.unary(c.op, x, out, params));
    assertMatches(what, out, expected);
  }
}

export function registerUnary(ctx: SuiteContext): void {
  ctx.api.describe('unary', () => {
    for (const c of CASES) {
      const dtypes: DType[] = c.int32 ? ['float32', 'float64', 'int32'] : ['float32', 'float64'];
      for (const dtype of dtypes) {
        ctx.test(`${c.op} ${dtype}`, (h) => {
          const shapes = [...ctx.sizes.map((n) => [n]), [], [3, 5], [2, 3, 4], [0, 3]];
          for (const shape of shapes) checkUnary(h, c, shape, dtype, c.params, false);
          checkUnary(h, c, [4, 33], dtype, c.params, true);
          // int32 scale by a fraction and clip at fractional bounds truncate when stored.
          if (dtype === 'int32' && c.op === 'scale') checkUnary(h, c, [65], dtype, { alpha: 2.5 }, false);
          if (dtype === 'int32' && c.op === 'clip') checkUnary(h, c, [65], dtype, { min: -7.5, max: 9.5 }, false);
        });
      }
    }
  });
}
