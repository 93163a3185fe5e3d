export { firstDifference, randomTensor, sameBits, SuiteRandom, zerosTensor } from '@scratchnet/backend/testing';

/** The test hook that makes a worker fail during its next task (not public API). */
export const INJECT_FAULT = Symbol.for('@scratchnet/backend-worker.injectFault');

export type FaultKind = 'throw' | 'exit' | 'kill';

export function injectFault(backend: object, kind: FaultKind, worker = 1): void {
  (backend as Record<symbol, (kind: FaultKind, worker: number) => void>)[INJECT_FAULT]!(kind, worker);
}
