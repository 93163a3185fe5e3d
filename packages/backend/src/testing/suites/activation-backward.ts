import type { DType } from '@scratchnet/tensor';
import type { ActivationOp, UnaryParams } from '../../backend.js';
import { assertMatches } from '../check.js';
import type { Harness, SuiteContext } from '../harness.js';

const OPS: ReadonlyArray<readonly [ActivationOp, UnaryParams | undefined]> = [
  ['relu', undefined],
  ['leakyRelu', { alpha: 0.2 }],
  ['sigmoid', undefined],
  ['tanh', undefined],
];

function checkBackward(h: Harness, op: ActivationOp, params: UnaryParams | undefined, shape: readonly number[], dtype: DType, inPlace: boolean): void {
  // relu/leakyRelu save their input (with exact zeros: the derivative there is 0, resp. alpha);
  // sigmoid/tanh save their output, here a valid output of the forward function.
  let saved = h.random(shape, dtype, { low: -3, high: 3, zeroEvery: 5 });
  if (op === 'sigmoid' || op === 'tanh') {
    const y = h.zeros(shape, dtype);
    h.ref.unary(op, saved, y);
    saved = y;
  }
  const dy = h.random(shape, dtype, { low: -2, high: 2 });
  const expected = h.refZeros(shape, dtype);
  h.ref.activationBackward(op, h.up(saved), h.up(dy), expected, params);
  const what = `activationBackward ${op}(${dtype} [${shape.join(',')}])${inPlace ? ' in place over dy' : ''}`;
  if (inPlace) {
    h.run(what, [saved], () => h.backend.activationBackward(op, saved, dy, dy, params));
    assertMatches(what, dy, expected);
  } else {
    const dx = h.garbage(shape, dtype);
    h.run(what, [saved, dy], () => h.backend.activationBackward(op, saved, dy, dx, params));
    assertMatches(what, dx, expected);
  }
}

export function registerActivationBackward(ctx: SuiteContext): void {
  ctx.api.describe('activationBackward', () => {
    for (const [op, params] of OPS) {
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
