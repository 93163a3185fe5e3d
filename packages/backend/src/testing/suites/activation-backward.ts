import type { DType } from '@scratchnet/tensor';
import type { UnaryParams } from '../../spec/params.js';
import { ACTIVATION_OPS, activationSpec, unarySpec, type ActivationOp } from '../../spec/unary.js';
import { assertMatches } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';

/**
 * What the forward pass would have saved for `op` on random inputs (with exact zeros, where the
 * derivative's one-sided rule applies): the input itself, or the reference forward's output.
 */
export function savedFor(h: Harness, op: ActivationOp, shape: readonly number[], dtype: DType, params: UnaryParams | undefined) {
  const test = unarySpec(op).test;
  const x = h.random(shape, dtype, { low: Math.max(test.low, -3), high: Math.min(test.high, 3), zeroEvery: 5 });
  if (activationSpec(op).saves === 'input') return x;
  const y = h.zeros(shape, dtype);
  h.ref.unary(op, x, y, params);
  return y;
}

function checkBackward(h: Harness, op: ActivationOp, params: UnaryParams | undefined, shape: readonly number[], dtype: DType, inPlace: boolean): void {
  const saved = savedFor(h, op, shape, dtype, params);
  const dy = h.random(shape, dtype, { low: -2, high: 2 });
  const expected = h.refZeros(shape, dtype);
  h.ref.activationBackward(op, h.up(saved), h.up(dy), expected, params);
  const what = `activationBackward ${op}(${dtype} [${shape.join(',')}])${inPlace ? ' in place over dy' : ''}`;
  if (inPlace) {
    h.run(what, [saved], () => h.kernels.activationBackward(op, saved, dy, dy, params));
    assertMatches(what, dy, expected);
  } else {
    const dx = h.garbage(shape, dtype);
    h.run(what, [saved, dy], () => h.kernels.activationBackward(op, saved, dy, dx, params));
    assertMatches(what, dx, expected);
  }
}

/** Every activation of `UNARY_SPECS`, with its row's test parameters. */
export function registerActivationBackward(ctx: SuiteContext): void {
  ctx.api.describe('activationBackward', () => {
    for (const op of ACTIVATION_OPS) {
      const params = unarySpec(op).test.params;
      for (const dtype of ['float32', 'float64'] as const) {
        ctx.test(`${op} ${dtype}`, (h) => {
          for (const n of ctx.sizes) checkBackward(h, op, params, [n], dtype, false);
          checkBackward(h, op, params, [3, 17], dtype, false);
          checkBackward(h, op, params, [2, 3, 4], dtype, false);
          checkBackward(h, op, params, [5, 9], dtype, true);
        });
      }
    }
  });
}
