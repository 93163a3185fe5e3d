import type { Job } from '../kernels/jobs.js';
import type { TranslateResources } from '../kernels/translate.js';

/**
 * What a method made of several kernel calls (a convolution's im2col and matmul, batch
 * normalization's sums and apply pass) needs from the backend.
 *
 * The rule these methods follow: memory may grow at any allocation, and a non-shared memory's
 * buffer then detaches, emptying every typed array taken of it before. So they work with byte
 * addresses (which never move) and take typed-array views only after their last allocation,
 * never keeping one across an allocation. (The cpu backend's own versions of these methods keep
 * views across their scratch allocations, which is why this backend has its own.)
 */
export interface MultiStepRunner {
  /** Runs a job here or split over the threads; `op` names it in errors. */
  execute(job: Job, op: string): void;
  /** Address of a block of at least `bytes` kept for reuse under `slot` (contents unspecified). */
  scratch(slot: string, bytes: number): number;
  /** The memory's current buffer: views of scratch blocks are made over it. */
  readonly buffer: ArrayBufferLike;
  /** Bytes of each thread's own scratch (kernels that keep per-unit lists there must fit). */
  readonly threadScratchBytes: number;
  readonly resources: TranslateResources;
}
