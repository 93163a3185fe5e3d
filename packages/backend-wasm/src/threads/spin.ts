/**
 * How many times a thread polls a word before it sleeps in `Atomics.wait`: a worker waiting for
 * its next job, the caller waiting for the workers to finish. Waking a sleeping thread costs
 * tens of microseconds (a futex and, on an idle core, the core itself), as much as a small job;
 * polling too long steals the core another process (or another of our threads) needs. 2,000
 * (20–40 µs here) is what the development notes found best (56 GFLOP/s quiet, 26 contended, at
 * 128³ on two threads; 200,000 fell to 1.2 contended), and in bench/spin.mjs with one core busy
 * elsewhere it cost little where 10,000 and more halved the throughput (see the README).
 */
export const WORKER_SPINS = 2000;
export const CALLER_SPINS = 2000;

/** Bench hook (not public API): `new WasmBackend({ threads, [SPINS]: { worker, caller } })`. */
export const SPINS: unique symbol = Symbol.for('@scratchnet/backend-wasm.spins') as never;
