/**
 * Where one thread takes the ranges of a task's units it computes, one after another: a threaded
 * backend hands out small ranges as threads ask, so that a thread the OS has descheduled does not
 * hold the others up. Kernels that prepare per call (matmul packs B) prepare once per queue.
 */
export interface RangeQueue {
  /** Takes the next range into `start` and `end`; false when none is left for this thread. */
  next(): boolean;
  /** The range taken by the last `next()` that returned true: units [start, end). */
  readonly start: number;
  readonly end: number;
}
