import { randomTensor as plainRandomTensor, zerosTensor as plainZerosTensor, type SuiteRandom } from '@scratchnet/backend/testing';
import { tensor, type DType, type Tensor } from '@scratchnet/tensor';

export { firstDifference, sameBits, SuiteRandom } from '@scratchnet/backend/testing';

/**
 * The suite's tensors, copied by `tensor()`: still in plain memory, but allocated by the library,
 * so the worker backend may move them into shared memory (it refuses to move an array a caller
 * adopted with `new Tensor(array)`; see user-arrays.test.ts).
 */
export function randomTensor(random: SuiteRandom, shape: readonly number[], dtype: DType = 'float32', lo = -1, hi = 1): Tensor {
  return movable(plainRandomTensor(random, shape, dtype, lo, hi));
}

export function zerosTensor(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return movable(plainZerosTensor(shape, dtype));
}

function movable(t: Tensor): Tensor {
  return tensor(t.data, { shape: t.shape });
}

/** The test hook that makes a worker fail during its next task (not public API). */
export const INJECT_FAULT = Symbol.for('@scratchnet/backend-worker.injectFault');

export type FaultKind = 'throw' | 'exit' | 'kill';

export function injectFault(backend: object, kind: FaultKind, worker = 1): void {
  (backend as Record<symbol, (kind: FaultKind, worker: number) => void>)[INJECT_FAULT]!(kind, worker);
}
