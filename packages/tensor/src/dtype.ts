import { DTypeError } from './errors.js';

/** Element types a tensor can hold. `float32` is the default everywhere. */
export type DType = 'float32' | 'float64' | 'int32';

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

export interface DataTypeMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
}

export type TypedArray = Float32Array | Float64Array | Int32Array;

export type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int32ArrayConstructor;

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64' || value === 'int32';
}

/** Throws a DTypeError naming `op` unless `value` is a known dtype. */
export function assertDType(op: string, value: unknown): asserts value is DType {
  if (!isDType(value)) {
    throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(value)}; expected one of ${DTYPES.join(', ')}`);
  }
}

export function isFloatDType(dtype: DType): dtype is 'float32' | 'float64' {
  return dtype !== 'int32';
}

export function typedArrayConstructor(dtype: DType): TypedArrayConstructor {
  switch (dtype) {
    case 'float32':
      return Float32Array;
    case 'float64':
      return Float64Array;
    case 'int32':
      return Int32Array;
  }
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}

/** The dtype a typed array stores, or undefined for other arrays. */
export function dtypeOfArray(array: unknown): DType | undefined {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  return undefined;
}

/** Whether `value` can be stored in an int32 tensor unchanged: an integer in [-2**31, 2**31 - 1]. */
export function isInt32Value(value: number): boolean {
  return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
}

/**
 * The one rule for putting a number into a tensor: an int32 tensor takes only values it holds
 * exactly (an Int32Array store would truncate 1.5, turn NaN into 0 and wrap 3e9), so anything else
 * is a DTypeError naming `op` and `what` (`element 2`, `value`). Float dtypes take every number.
 */
export function assertStorable(op: string, dtype: DType, value: number, what: string): void {
  if (dtype === 'int32' && !isInt32Value(value)) {
    throw new DTypeError(
      `${op}: ${what} is ${value}, which an int32 tensor cannot hold exactly (only integers in [-2147483648, 2147483647]); round it first or use a float dtype`,
    );
  }
}
