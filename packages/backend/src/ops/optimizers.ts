import { ValueError, type Tensor } from '@scratchnet/tensor';
import type { AdamOptions, MomentumOptions, RmspropOptions, SgdOptions } from '../backend.js';
import { getKernels } from '../registry.js';
import {
  assertBoolean,
  assertFloat,
  assertInRange,
  assertNoOverlap,
  assertNonNegative,
  assertPositive,
  assertSameDType,
  assertSameShape,
  assertTensor,
  describeValue,
} from './validate.js';

/**
 * Fused optimizer updates, in place. `param` is a float tensor; the gradient and every state
 * tensor share its shape and dtype and none of them may share memory with another.
 */
function checkTensors(op: string, tensors: ReadonlyArray<readonly [string, unknown]>): void {
  for (const [name, t] of tensors) assertTensor(op, name, t);
  const list = tensors as ReadonlyArray<readonly [string, Tensor]>;
  const [paramName, param] = list[0]!;
  assertFloat(op, paramName, param);
  for (const [name, t] of list.slice(1)) {
    assertSameDType(op, paramName, param, name, t);
    assertSameShape(op, paramName, param, name, t);
  }
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) assertNoOverlap(op, list[i]![0], list[i]![1], list[j]![0], list[j]![1]);
  }
}

function checkOptionsObject(op: string, options: unknown): void {
  if (options === null || typeof options !== 'object') {
    throw new ValueError(`${op}: options must be an object with at least lr, got ${describeValue(options)}`);
  }
}

/** `param -= lr * (grad + weightDecay * param)`. */
export function sgdUpdate(param: Tensor, grad: Tensor, options: SgdOptions): void {
  const op = 'sgdUpdate';
  checkTensors(op, [['param', param], ['grad', grad]]);
  checkOptionsObject(op, options);
  assertNonNegative(op, 'lr', options.lr);
  const weightDecay = options.weightDecay ?? 0;
  assertNonNegative(op, 'weightDecay', weightDecay);
  getKernels(op).sgdUpdate(param, grad, { lr: options.lr, weightDecay });
}

/** `velocity = momentum * velocity - lr * grad`; `param += velocity` (Nesterov: `param += momentum * velocity - lr * grad`). */
export function momentumUpdate(param: Tensor, grad: Tensor, velocity: Tensor, options: MomentumOptions): void {
  const op = 'momentumUpdate';
  checkTensors(op, [['param', param], ['grad', grad], ['velocity', velocity]]);
  checkOptionsObject(op, options);
  assertNonNegative(op, 'lr', options.lr);
  assertInRange(op, 'momentum', options.momentum, 0, 1);
  assertBoolean(op, 'nesterov', options.nesterov);
  getKernels(op).momentumUpdate(param, grad, velocity, {
    lr: options.lr,
    momentum: options.momentum,
    nesterov: options.nesterov ?? false,
  });
}

/** Adam (AdamW with `weightDecay > 0`); `m` and `v` are the moment estimates, `step` counts from 1. */
export function adamUpdate(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, options: AdamOptions): void {
  const op = 'adamUpdate';
  checkTensors(op, [['param', param], ['grad', grad], ['m', m], ['v', v]]);
  checkOptionsObject(op, options);
  assertNonNegative(op, 'lr', options.lr);
  assertInRange(op, 'beta1', options.beta1, 0, 1);
  assertInRange(op, 'beta2', options.beta2, 0, 1);
  assertPositive(op, 'epsilon', options.epsilon);
  if (!Number.isSafeInteger(options.step) || options.step < 1) {
    throw new ValueError(`${op}: step must be an integer >= 1 (the first update is step 1), got ${String(options.step)}`);
  }
  const weightDecay = options.weightDecay ?? 0;
  assertNonNegative(op, 'weightDecay', weightDecay);
  getKernels(op).adamUpdate(param, grad, m, v, {
    lr: options.lr,
    beta1: options.beta1,
    beta2: options.beta2,
    epsilon: options.epsilon,
    step: options.step,
    weightDecay,
  });
}

/**
 * RMSprop (TensorFlow.js's and Keras's form) with running mean square `meanSquare`; `meanGrad`
 * is required with `centered`, `buffer` with `momentum > 0` (each may be null otherwise and is
 * then left untouched).
 */
export function rmspropUpdate(
  param: Tensor,
  grad: Tensor,
  meanSquare: Tensor,
  meanGrad: Tensor | null,
  buffer: Tensor | null,
  options: RmspropOptions,
): void {
  const op = 'rmspropUpdate';
  const tensors: Array<readonly [string, unknown]> = [['param', param], ['grad', grad], ['meanSquare', meanSquare]];
  checkOptionsObject(op, options);
  const momentum = options.momentum ?? 0;
  assertInRange(op, 'momentum', momentum, 0, 1);
  assertBoolean(op, 'centered', options.centered);
  const centered = options.centered ?? false;
  for (const [name, t, needed, why] of [
    ['meanGrad', meanGrad, centered, 'centered'],
    ['buffer', buffer, momentum > 0, `momentum ${momentum}`],
  ] as const) {
    if (needed) {
      if (t === null || t === undefined) throw new ValueError(`${op}: ${why} needs a ${name} tensor, got ${String(t)}`);
      tensors.push([name, t]);
    } else if (t !== null && t !== undefined) {
      assertTensor(op, name, t);
    }
  }
  checkTensors(op, tensors);
  assertNonNegative(op, 'lr', options.lr);
  assertInRange(op, 'rho', options.rho, 0, 1);
  assertPositive(op, 'epsilon', options.epsilon);
  getKernels(op).rmspropUpdate(param, grad, meanSquare, centered ? meanGrad : null, momentum > 0 ? buffer : null, {
    lr: options.lr,
    rho: options.rho,
    epsilon: options.epsilon,
    momentum,
    centered,
  });
}
