import { Tensor, plainAllocator, sizeOf, type Allocator, type DType, type Shape } from '@scratchnet/tensor';

/**
 * Temporaries for a composed kernel, in the backend's own memory (a threaded backend's kernels
 * would otherwise first move each one into shared memory). Composed kernels run only on backends
 * that lack the fused kernel, so they may allocate.
 */
export class Temps {
  readonly #allocator: Allocator;

  constructor(allocator: Allocator | undefined) {
    this.#allocator = allocator ?? plainAllocator;
  }

  /** A zero tensor of `shape` and `dtype`. */
  zeros(shape: Shape, dtype: DType): Tensor {
    return new Tensor(this.#allocator.allocate(dtype, sizeOf(shape)), shape);
  }

  /** A zero tensor shaped like `t`. */
  like(t: Tensor, dtype: DType = t.dtype): Tensor {
    return this.zeros(t.shape, dtype);
  }

  /** A 0-d tensor holding `value`, to broadcast against anything. */
  scalar(value: number, dtype: DType): Tensor {
    const t = this.zeros([], dtype);
    t.data[0] = value;
    return t;
  }
}
