import type { DType } from '@scratchnet/tensor';
import type { UnaryParams } from '../../spec/params.js';
import { UNARY_OPS, unarySpec, type UnaryOp } from '../../spec/unary.js';
import { assertMatches } from '../check.js';
import type { Harness, RandomOptions, SuiteContext } from '../harness.js';

function checkUnary(h: Harness, op: UnaryOp, shape: readonly number[], dtype: DType, params: UnaryParams | undefined, inPlace: boolean): void {
  const range: RandomOptions = dtype === 'int32' ? { low: -40, high: 40 } : unarySpec(op).test;
  const x = h.random(shape, dtype, range);
  const expected = h.refZeros(shape, dtype);
  h.ref.unary(op, h.up(x), expected, params);
  const what = `unary ${op}(${dtype} [${shape.join(',')}]${params ? ` ${JSON.stringify(params)}` : ''})${inPlace ? ' in place' : ''}`;
  if (inPlace) {
    h.kernels.unary(op, x, x, params);
    assertMatches(what, x, expected);
  } else {
    const out = h.garbage(shape, dtype);
    h.run(what, [x], () => h.kernels.unary(op, x, out, params));
    assertMatches(what, out, expected);
  }
}

/** Every op of `UNARY_SPECS`, on its row's test range and parameters, int32 too unless float-only. */
export function registerUnary(ctx: SuiteContext): void {
  ctx.api.describe('unary', () => {
    for (const op of UNARY_OPS) {
      const spec = unarySpec(op);
      const dtypes: DType[] = spec.floatOnly ? ['float32', 'float64'] : ['float32', 'float64', 'int32'];
      for (const dtype of dtypes) {
        ctx.test(`${op} ${dtype}`, (h) => {
          const shapes = [...ctx.sizes.map((n) => [n]), [], [3, 5], [2, 3, 4], [0, 3]];
          for (const shape of shapes) checkUnary(h, op, shape, dtype, spec.test.params, false);
          checkUnary(h, op, [4, 33], dtype, spec.test.params, true);
          // int32 results computed from fractional parameters truncate when stored.
          if (dtype === 'int32' && op === 'scale') checkUnary(h, op, [65], dtype, { alpha: 2.5 }, false);
          if (dtype === 'int32' && op === 'clip') checkUnary(h, op, [65], dtype, { min: -7.5, max: 9.5 }, false);
        });
      }
      if (Object.keys(spec.params).some((p) => (spec.params as Record<string, { default?: number }>)[p]!.default !== undefined)) {
        ctx.test(`${op}: parameters left out take the spec's defaults`, (h) => checkUnary(h, op, [37], 'float64', undefined, false));
      }
    }
  });
}
