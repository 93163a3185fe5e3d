import { DisposedError, DTypeError, ShapeError } from './errors.js';
import { dtypeOfArray, typedArrayConstructor, type DataTypeMap, type DType } from './dtype.js';
import { storageHomeOf, type StorageHome } from './storage-home.js';

/**
 * The typed array behind a tensor and all its views. It is an object of its own so that a
 * backend can move a tensor's elements into other memory once (say, a `SharedArrayBuffer`) and
 * every view of it follows.
 *
 * Storage in a backend's own memory (a {@link StorageHome}, e.g. a WebAssembly heap) holds its
 * block there until it is collected or disposed, and re-creates its view when the memory has
 * grown and detached the old one. The check costs one comparison per `data` read.
 */
export class Storage<D extends DType = DType> {
  #data: DataTypeMap[D];
  readonly #length: number;
  #home: StorageHome | undefined;
  #byteOffset = 0;
  #disposed = false;

  constructor(data: DataTypeMap[D]) {
    this.#data = data;
    this.#length = data.length;
    this.#adopt(data);
  }

  get data(): DataTypeMap[D] {
    const data = this.#data;
    // A detached view reads as length 0; so does a disposed storage's. An empty view cannot tell
    // by its length, but its detached buffer reads as 0 bytes (and still throws when iterated).
    if (data.length === this.#length && (this.#length !== 0 || this.#home === undefined || data.buffer.byteLength !== 0)) return data;
    return this.#refresh();
  }

  get length(): number {
    return this.#length;
  }

  /** Whether the elements live in a `SharedArrayBuffer`. */
  get shared(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && this.data.buffer instanceof SharedArrayBuffer;
  }

  /** The backend memory the elements live in, if any (see {@link StorageHome}). */
  get home(): StorageHome | undefined {
    return this.#home;
  }

  /** Whether {@link Storage.dispose} was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Moves the elements into `next` (same dtype and length), which becomes the storage of every
   * view. Used by backends that need a particular kind of memory.
   */
  replace(next: DataTypeMap[D]): void {
    const current = this.data;
    if (dtypeOfArray(next) !== dtypeOfArray(current)) {
      throw new DTypeError(
        `Storage.replace: new array holds ${String(dtypeOfArray(next))}, storage holds ${String(dtypeOfArray(current))}`,
      );
    }
    if (next.length !== this.#length) {
      throw new ShapeError(`Storage.replace: new array has ${next.length} elements, storage has ${this.#length}`);
    }
    if (next === current) return;
    next.set(current as never);
    this.#home?.release(this);
    this.#data = next;
    this.#adopt(next);
  }

  /**
   * Releases the elements now instead of when the storage is garbage-collected: a backend's
   * memory block is freed at once, plain memory is dropped. Every view of the storage is then
   * unusable (reading `data` throws a DisposedError). Idempotent.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const dtype = dtypeOfArray(this.#data)!;
    if (this.#home !== undefined && this.#length > 0) {
      this.#home.free(this.#byteOffset);
      this.#home.release(this);
    }
    this.#data = new (typedArrayConstructor(dtype))(0) as DataTypeMap[D];
  }

  #adopt(data: DataTypeMap[D]): void {
    const home = storageHomeOf(data);
    this.#home = home;
    this.#byteOffset = data.byteOffset;
    // An empty array has no block to hold (its offset may be anyone's).
    if (data.length > 0) home?.hold(this, data.byteOffset);
  }

  /** The view after the memory grew (re-created over the home's current buffer), or a DisposedError. */
  #refresh(): DataTypeMap[D] {
    if (this.#disposed) {
      throw new DisposedError(`Tensor storage of ${this.#length} ${dtypeOfArray(this.#data)} elements was disposed; it can no longer be read or written`);
    }
    const home = this.#home;
    if (home === undefined) return this.#data;
    const Ctor = typedArrayConstructor(dtypeOfArray(this.#data)!) as unknown as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => DataTypeMap[D];
    const view = new Ctor(home.buffer, this.#byteOffset, this.#length);
    // Whoever keeps this view (a kernel, a caller of `tensor.data`) keeps the block too; an empty
    // view has no block.
    if (this.#length > 0) home.hold(view, this.#byteOffset);
    this.#data = view;
    return view;
  }
}
