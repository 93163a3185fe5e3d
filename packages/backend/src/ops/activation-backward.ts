import { ValueError, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import type { ActivationOp } from '../backend.js';
import { getBackend } from '../registry.js';
import {
  assertFinite,
  assertFloat,
  assertInPlaceOrDisjoint,
  assertNoOverlap,
  assertOptions,
  assertSameDType,
  assertSameShape,
  assertTensor,
  checkOut,
} from './validate.js';

const ACTIVATION_OPS: readonly ActivationOp[] = ['relu', 'leakyRelu', 'sigmoid', 'tanh'];

export interface ActivationBackwardOptions {
  /** Slope of `leakyRelu` for negative inputs; required for `leakyRelu`. */
  alpha?: number;
  /** Destination `dx`, shaped like `dy`; may be `dy` itself. */
  out?: Tensor;
}

/**
 * Gradient through an elementwise activation: `dx = dy * f'(…)`. `saved` is what the forward
 * pass keeps: the input `x` for `relu` and `leakyRelu` (derivative 0, resp. `alpha`, where
 * `x <= 0`), the output `y` for `sigmoid` (`y (1 - y)`) and `tanh` (`1 - y²`).
 */
export function activationBackward<D extends DType>(
  op: ActivationOp,
  saved: Tensor<D>,
  dy: Tensor<D>,
  options: ActivationBackwardOptions = {},
): Tensor<D> {
  const name = 'activationBackward';
  if (!ACTIVATION_OPS.includes(op)) {
    throw new ValueError(`${name}: unknown activation ${JSON.stringify(op)}; expected one of ${ACTIVATION_OPS.join(', ')}`);
  }
  assertTensor(name, 'saved', saved);
  assertTensor(name, 'dy', dy);
  assertOptions(name, options);
  assertFloat(name, 'saved', saved);
  assertSameDType(name, 'saved', saved, 'dy', dy);
  assertSameShape(name, 'saved', saved, 'dy', dy);
  const { alpha, out } = options;
  if (op === 'leakyRelu') {
    if (alpha === undefined) throw new ValueError(`${name}: leakyRelu needs options.alpha (the slope used in the forward pass)`);
    assertFinite(name, 'alpha', alpha);
  } else if (alpha !== undefined) {
    assertFinite(name, 'alpha', alpha);
  }
  const given = checkOut(name, out, dy.shape, dy.dtype);
  if (given) {
    assertInPlaceOrDisjoint(name, 'out', given, 'dy', dy);
    assertNoOverlap(name, 'out', given, 'saved', saved);
  }
  const backend = getBackend(name);
  const result = (given ?? zeros(dy.shape, { dtype: dy.dtype })) as Tensor<D>;
  backend.activationBackward(op, saved, dy, result, op === 'leakyRelu' ? { alpha: alpha! } : undefined);
  return result;
}
