import { shapesEqual, zeros, type DType, type Tensor } from '@scratchnet/tensor';

/**
 * Tensors the training loop writes every batch (gathered rows, loss gradients), kept per batch
 * size: an epoch alternates between its full batch size and the smaller last batch, and each
 * gets its own buffers, allocated on first use and reused from then on.
 */
export class RowBuffers {
  readonly #byRows = new Map<number, Tensor>();

  /** The buffer of `shape` (rows first) and `dtype`; contents are whatever the last user left. */
  get<D extends DType>(shape: readonly number[], dtype: D): Tensor<D> {
    const rows = shape[0]!;
    const found = this.#byRows.get(rows);
    if (found !== undefined && found.dtype === dtype && shapesEqual(found.shape, shape)) return found as Tensor<D>;
    const fresh = zeros(shape, { dtype });
    this.#byRows.set(rows, fresh);
    return fresh;
  }
}
