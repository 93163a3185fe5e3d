/**
 * Faults a test can inject into a worker (through the backend's `Symbol.for` test hook). During
 * its next job, after computing the first half of its range: `throw` (the kernel throws),
 * `exit` (the thread exits through its own code: `process.exit`, or `self.close()` after its last
 * words in a browser), `kill` (the thread is terminated from outside, so no code of its own runs
 * on the way out), `close` (the thread ends itself without a word: `self.close()` in a browser,
 * `process.exit` with its exit listeners removed in Node). Or at once, between jobs: `exit-idle`.
 */
export type FaultKind = 'throw' | 'exit' | 'kill' | 'close' | 'exit-idle';

export const FAULT_CODES: Record<FaultKind, number> = { throw: 1, exit: 2, kill: 3, 'exit-idle': 4, close: 5 };

export const INJECT_FAULT: unique symbol = Symbol.for('@scratchnet/backend-wasm.injectFault') as never;
