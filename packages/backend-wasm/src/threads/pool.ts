import { BackendError } from '@scratchnet/backend';
import type { Job } from '../kernels/jobs.js';

/** What a pool is started with: the compiled module and the shared memory its threads instantiate it over. */
export interface PoolOptions {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Worker threads (the calling thread computes too). */
  workers: number;
  /** Address of the scratch blocks: thread i (0 = caller) uses `scratch + i * scratchBytes`. */
  scratch: number;
  scratchBytes: number;
}

/** Worker threads that run jobs' ranges beside the calling thread. */
export interface ThreadPool {
  /**
   * Runs `ranges[0]` here (through `runHere`) and `ranges[i]` on worker i - 1; returns when all
   * are done, or throws a BackendError when a worker fails or dies.
   */
  run(job: Job, ranges: ReadonlyArray<readonly [number, number]>, runHere: (start: number, end: number) => void): void;
  /** Ends every thread. Idempotent. */
  terminate(): void;
}

export function startPool(_options: PoolOptions): ThreadPool {
  throw new BackendError('wasm backend: threads are not available in this build yet');
}
