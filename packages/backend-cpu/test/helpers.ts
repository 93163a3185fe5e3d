import { Tensor, type DType, type TypedArray } from '@scratchnet/tensor';

export { randomTensor, sameBits, SuiteRandom, zerosTensor } from '@scratchnet/backend/testing';

const CTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

export function fromValues(values: readonly number[], shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return new Tensor(CTORS[dtype].from(values), shape);
}

/** An independent copy (same shape, dtype and values). */
export function cloneTensor(t: Tensor): Tensor {
  return new Tensor(t.data.slice() as TypedArray, t.shape);
}

/** Largest |actual - expected| / (atol + rtol |expected|); <= 1 means within tolerance. NaN must match NaN. */
export function toleranceRatio(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (!(Number.isNaN(e) && Number.isNaN(a))) return Infinity;
      continue;
    }
    if (a === e) continue;
    worst = Math.max(worst, Math.abs(a - e) / (atol + rtol * Math.abs(e)));
  }
  return worst;
}

/** Tolerances for comparing a result of `dtype` with a float64 reference. */
export function tolerances(dtype: DType): { rtol: number; atol: number } {
  return dtype === 'float32' ? { rtol: 2e-6, atol: 1e-6 } : { rtol: 1e-13, atol: 1e-14 };
}

