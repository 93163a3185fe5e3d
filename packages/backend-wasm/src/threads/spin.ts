/**
 * How many times a thread polls a word before it sleeps in `Atomics.wait`: a worker waiting for
 * its next job, the caller waiting for the workers to finish. Waking a sleeping thread costs
 * tens of microseconds (a futex and, on an idle core, the core itself), as much as a small job;
 * polling too long steals the core another process (or another of our threads) needs. Measured
 * in bench/spin.mjs; see the package README.
 */
export const WORKER_SPINS = 2000;
export const CALLER_SPINS = 2000;

/** Bench hook (not public API): `new WasmBackend({ threads, [SPINS]: { worker, caller } })`. */
export const SPINS: unique symbol = Symbol.for('@scratchnet/backend-wasm.spins') as never;
