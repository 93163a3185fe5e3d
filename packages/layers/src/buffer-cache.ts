import { shapesEqual, zeros, type DType, type Tensor } from '@scratchnet/tensor';

/**
 * The few tensors a layer or loss writes on every training step (its output, `dx`, scratch),
 * kept by role (`'y'`, `'dx'`, …) and handed back while shape and dtype stay the same, so a
 * warm training step allocates nothing. Each role remembers its last `shapesPerRole` shapes:
 * an epoch whose last batch is smaller alternates between two batch sizes without reallocating.
 */
export class BufferCache {
  readonly #slots = new Map<string, Tensor[]>();
  readonly #shapesPerRole: number;

  constructor(shapesPerRole = 2) {
    this.#shapesPerRole = shapesPerRole;
  }

  /** The buffer for `role` of `shape` and `dtype` (zero-filled when new; stale contents otherwise). */
  get<D extends DType>(role: string, shape: readonly number[], dtype: D): Tensor<D> {
    let list = this.#slots.get(role);
    if (list === undefined) {
      list = [];
      this.#slots.set(role, list);
    }
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      if (t.dtype === dtype && shapesEqual(t.shape, shape)) {
        // Most recently used first, so the oldest shape is the one evicted.
        if (i > 0) {
          list.splice(i, 1);
          list.unshift(t);
        }
        return t as Tensor<D>;
      }
    }
    const fresh = zeros(shape, { dtype });
    list.unshift(fresh);
    if (list.length > this.#shapesPerRole) list.pop();
    return fresh;
  }

  /** Drops every buffer (they are reallocated on demand). */
  clear(): void {
    this.#slots.clear();
  }
}
