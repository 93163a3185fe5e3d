import { sizeOf, Tensor, type DType } from '@scratchnet/tensor';
import type { SuiteRandom } from './random.js';

const CTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

/** A tensor in plain memory with uniform values in [lo, hi) (integers in [lo, hi] for int32). */
export function randomTensor(random: SuiteRandom, shape: readonly number[], dtype: DType = 'float32', lo = -1, hi = 1): Tensor {
  const data = new CTORS[dtype](sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = dtype === 'int32' ? random.int(lo, hi) : random.uniform(lo, hi);
  return new Tensor(data, shape);
}

/** A zero tensor in plain memory. */
export function zerosTensor(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return new Tensor(new CTORS[dtype](sizeOf(shape)), shape);
}
