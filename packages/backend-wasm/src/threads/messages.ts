import type { ErrorInfo } from './error-info.js';

/** Messages from a worker to the calling thread, read (synchronously) when the block says so. */
export type FromWorker =
  | { type: 'error'; seq: number; error: ErrorInfo }
  | { type: 'startup-error'; error: ErrorInfo }
  | { type: 'exit'; code: number };

/** What the supervisor reports about each worker it watches. */
export type FromSupervisor = { type: 'exit'; slot: number; code: number; error: ErrorInfo | undefined };

/** Each worker starts with this (through the supervisor). */
export interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte address of the pool's control block, and its number of workers. */
  control: number;
  workers: number;
  slot: number;
  /** Address of this worker's scratch block. */
  scratch: number;
  /** How many times to poll for the next job before sleeping. */
  spins: number;
  /** Where the worker reports errors (a MessagePort). */
  port: unknown;
}
