import type { FloatDType, Tensor } from '@scratchnet/tensor';
import type { KernelTask } from './kernels/index.js';
import type { DataOf } from './plan.js';

/**
 * What a backend method made of several kernel calls (a convolution's im2col and matmul, batch
 * normalization's sums and apply pass) needs from the backend: running a task (split over
 * threads by a threaded backend), reading a tensor's memory, and scratch tensors kept between
 * calls (in the backend's memory, so a threaded backend's workers can write them).
 */
export interface KernelRunner {
  run(task: KernelTask): void;
  data: DataOf;
  /** A float tensor of at least `size` elements kept for reuse under `slot` (its contents are unspecified). */
  scratch(slot: string, dtype: FloatDType, size: number): Tensor;
}
