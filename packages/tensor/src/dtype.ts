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
