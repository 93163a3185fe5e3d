import { ValueError, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import type { UnaryParams } from '../spec/params.js';
import { ACTIVATION_OPS, isActivationOp, type ActivationOp } from '../spec/unary.js';
import { getKernels } from '../registry.js';
import { checkUnaryParams } from './unary-params.js';
import {
  assertFloat,
  assertInPlaceOrDisjoint,
  assertNoOverlap,
  assertOptions,
  assertSameDType,
  assertSameShape,
  assertTensor,
  checkOut,
  describeName,
} from './validate.js';

export interface ActivationBackwardOptions extends UnaryParams {
  /** Destination `dx`, shaped like `dy`; may be `dy` itself. */
  out?: Tensor;
}

/**
 * Gradient through an elementwise activation: `dx = dy * f'(…)`. `saved` is what the forward
 * pass keeps, as the activation's spec says (`UNARY_SPECS[op].activation.saves`): the input `x`
 * for `relu` and `leakyRelu` (derivative 0, resp. `alpha`, where `x <= 0`), the output `y` for
 * `sigmoid` (`y (1 - y)`), `tanh` (`1 - y²`) and `elu` (`y + alpha` where `y <= 0`). Parameters
 * (`alpha`) default as in the forward op.
 */
export function activationBackward<D extends DType>(
  op: ActivationOp,
  saved: Tensor<D>,
  dy: Tensor<D>,
  options: ActivationBackwardOptions = {},
): Tensor<D> {
  const name = 'activationBackward';
  if (!isActivationOp(op)) {
    throw new ValueError(`${name}: unknown activation ${describeName(op)}; expected one of ${ACTIVATION_OPS.join(', ')}`);
  }
  assertTensor(name, 'saved', saved);
  assertTensor(name, 'dy', dy);
  assertOptions(name, options);
  assertFloat(name, 'saved', saved);
  assertSameDType(name, 'saved', saved, 'dy', dy);
  assertSameShape(name, 'saved', saved, 'dy', dy);
  const { out, ...given } = options;
  const params = checkUnaryParams(`${name} ${op}`, op, given);
  const checkedOut = checkOut(name, out, dy.shape, dy.dtype);
  if (checkedOut) {
    assertInPlaceOrDisjoint(name, 'out', checkedOut, 'dy', dy);
    assertNoOverlap(name, 'out', checkedOut, 'saved', saved);
  }
  const kernels = getKernels(name);
  const result = (checkedOut ?? zeros(dy.shape, { dtype: dy.dtype })) as Tensor<D>;
  kernels.activationBackward(op, saved, dy, result, params);
  return result;
}
