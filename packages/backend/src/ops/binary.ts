import { DTypeError, ValueError, broadcastShapes, tensor, zeros, type DType, type Tensor } from '@scratchnet/tensor';
import { binarySpec, type BinaryOp } from '../spec/binary.js';
import { getKernels } from '../registry.js';
import type { OutOption } from './unary.js';
import {
  assertFloat,
  assertInPlaceOrDisjoint,
  assertNoOverlap,
  assertOptions,
  assertSameDType,
  assertTensor,
  checkOut,
  describeValue,
  isInt32Value,
} from './validate.js';

/** An operand: a tensor, or a number standing for a 0-d tensor of the other operand's dtype. */
export type Operand<D extends DType = DType> = Tensor<D> | number;

function checkOperand(op: string, name: string, value: unknown): void {
  if (typeof value === 'number') return;
  if (value === null || typeof value !== 'object') {
    throw new ValueError(`${op}: ${name} must be a Tensor or a number, got ${describeValue(value)}`);
  }
  assertTensor(op, name, value);
}

function checkNumber(op: string, name: string, value: number, dtype: DType): void {
  if (dtype === 'int32' && !isInt32Value(value)) {
    throw new DTypeError(`${op}: ${name} is ${value}, which an int32 tensor cannot hold; cast the tensor to a float dtype first`);
  }
}

function applyBinary(op: BinaryOp, a: Operand, b: Operand, options: OutOption | undefined): Tensor {
  assertOptions(op, options);
  checkOperand(op, 'a', a);
  checkOperand(op, 'b', b);
  // A number takes the other operand's dtype; two numbers make float32 scalars.
  const dtype: DType = typeof a !== 'number' ? a.dtype : typeof b !== 'number' ? b.dtype : 'float32';
  if (typeof a !== 'number' && typeof b !== 'number') assertSameDType(op, 'a', a, 'b', b);
  if (typeof a === 'number') checkNumber(op, 'a', a, dtype);
  if (typeof b === 'number') checkNumber(op, 'b', b, dtype);
  if (binarySpec(op).floatOnly) {
    if (typeof a !== 'number') assertFloat(op, 'a', a);
    else if (typeof b !== 'number') assertFloat(op, 'b', b);
  }
  const shape = broadcastShapes(op, typeof a === 'number' ? [] : a.shape, typeof b === 'number' ? [] : b.shape);
  const given = checkOut(op, options?.out, shape, binarySpec(op).comparison ? null : dtype);
  if (given) {
    // The kernel may write in place only over an input of the output's full size (no broadcast).
    for (const [name, input] of [['a', a], ['b', b]] as const) {
      if (typeof input === 'number') continue;
      if (input.size === given.size) assertInPlaceOrDisjoint(op, 'out', given, name, input);
      else assertNoOverlap(op, 'out', given, name, input);
    }
  }
  const backend = getKernels(op);
  const ta = typeof a === 'number' ? tensor(a, { dtype }) : a;
  const tb = typeof b === 'number' ? tensor(b, { dtype }) : b;
  const result = given ?? zeros(shape, { dtype });
  backend.binary(op, ta, tb, result);
  return result;
}

/** `a + b`, broadcasting. */
export function add<D extends DType>(a: Operand<D>, b: Operand<D>, options?: OutOption): Tensor<D> {
  return applyBinary('add', a, b, options) as Tensor<D>;
}

/** `a - b`, broadcasting. */
export function sub<D extends DType>(a: Operand<D>, b: Operand<D>, options?: OutOption): Tensor<D> {
  return applyBinary('sub', a, b, options) as Tensor<D>;
}

/** `a * b`, broadcasting. */
export function mul<D extends DType>(a: Operand<D>, b: Operand<D>, options?: OutOption): Tensor<D> {
  return applyBinary('mul', a, b, options) as Tensor<D>;
}

/** `a / b`, broadcasting (float only). */
export function div<D extends DType>(a: Operand<D>, b: Operand<D>, options?: OutOption): Tensor<D> {
  return applyBinary('div', a, b, options) as Tensor<D>;
}

/** `a ** b`, broadcasting (float only). */
export function pow<D extends DType>(a: Operand<D>, b: Operand<D>, options?: OutOption): Tensor<D> {
  return applyBinary('pow', a, b, options) as Tensor<D>;
}

/** Elementwise larger of `a` and `b`, broadcasting. */
export function maximum<D extends DType>(a: Operand<D>, b: Operand<D>, options?: OutOption): Tensor<D> {
  return applyBinary('maximum', a, b, options) as Tensor<D>;
}

/** Elementwise smaller of `a` and `b`, broadcasting. */
export function minimum<D extends DType>(a: Operand<D>, b: Operand<D>, options?: OutOption): Tensor<D> {
  return applyBinary('minimum', a, b, options) as Tensor<D>;
}

/** `(a - b)²`, broadcasting. */
export function squaredDifference<D extends DType>(a: Operand<D>, b: Operand<D>, options?: OutOption): Tensor<D> {
  return applyBinary('squaredDifference', a, b, options) as Tensor<D>;
}

/**
 * 1 where `a == b`, else 0, broadcasting. The result has the inputs' dtype unless `out` (which
 * may have any dtype) says otherwise, so a mask multiplies straight into float math.
 */
export function equal(a: Operand, b: Operand, options?: OutOption): Tensor {
  return applyBinary('equal', a, b, options);
}

/** 1 where `a > b`, else 0; dtype as for `equal`. */
export function greater(a: Operand, b: Operand, options?: OutOption): Tensor {
  return applyBinary('greater', a, b, options);
}

/** 1 where `a < b`, else 0; dtype as for `equal`. */
export function less(a: Operand, b: Operand, options?: OutOption): Tensor {
  return applyBinary('less', a, b, options);
}
