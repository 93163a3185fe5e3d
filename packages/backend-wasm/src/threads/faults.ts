/**
 * Faults a test can inject into a worker (through the backend's `Symbol.for` test hook). During
 * its next job, after computing the first half of its range: `throw` (the kernel throws),
 * `exit` (`process.exit` mid-job), `kill` (the thread is terminated from outside, so no code of
 * its own runs on the way out). Or at once, between jobs: `exit-idle`.
 */
export type FaultKind = 'throw' | 'exit' | 'kill' | 'exit-idle';

export const FAULT_CODES: Record<FaultKind, number> = { throw: 1, exit: 2, kill: 3, 'exit-idle': 4 };

export const INJECT_FAULT: unique symbol = Symbol.for('@scratchnet/backend-wasm.injectFault') as never;
