import { DTypeError, ShapeError } from './errors.js';
import { dtypeOfArray, type DataTypeMap, type DType } from './dtype.js';

/**
 * The typed array behind a tensor and all its views. It is an object of its own so that a
 * backend can move a tensor's elements into other memory once (say, a `SharedArrayBuffer`) and
 * every view of it follows.
 */
export class Storage<D extends DType = DType> {
  #data: DataTypeMap[D];

  constructor(data: DataTypeMap[D]) {
    this.#data = data;
  }

  get data(): DataTypeMap[D] {
    return this.#data;
  }

  get length(): number {
    return this.#data.length;
  }

  /** Whether the elements live in a `SharedArrayBuffer`. */
  get shared(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && this.#data.buffer instanceof SharedArrayBuffer;
  }

  /**
   * Moves the elements into `next` (same dtype and length), which becomes the storage of every
   * view. Used by backends that need a particular kind of memory.
   */
  replace(next: DataTypeMap[D]): void {
    if (dtypeOfArray(next) !== dtypeOfArray(this.#data)) {
      throw new DTypeError(
        `Storage.replace: new array holds ${String(dtypeOfArray(next))}, storage holds ${String(dtypeOfArray(this.#data))}`,
      );
    }
    if (next.length !== this.#data.length) {
      throw new ShapeError(`Storage.replace: new array has ${next.length} elements, storage has ${this.#data.length}`);
    }
    if (next !== this.#data) next.set(this.#data as never);
    this.#data = next;
  }
}
