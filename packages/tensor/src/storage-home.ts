import type { TypedArray } from './dtype.js';

/**
 * Memory a backend manages itself, such as a heap inside a `WebAssembly.Memory`, from which its
 * allocator hands out typed arrays. A {@link Storage} whose array lies in a registered buffer
 * asks the home two things:
 *
 * - **Where the bytes are now.** Growing a non-shared `WebAssembly.Memory` detaches its buffer
 *   (every view of it reads as empty); the storage notices on its next `data` read and re-creates
 *   its view over `home.buffer` at the same byte offset.
 * - **When the block is free.** The storage `hold`s its block; the home frees the block once
 *   every holder has been garbage-collected or `release`d, or at once on `free` (an explicit
 *   `tensor.dispose()`).
 */
export interface StorageHome {
  /** The memory's current buffer. */
  readonly buffer: ArrayBufferLike;
  /** `holder` uses the block that contains `byteOffset`; keep the block until it is collected. */
  hold(holder: object, byteOffset: number): void;
  /** `holder` no longer uses the block it held (its storage moved to other memory). */
  release(holder: object): void;
  /** Frees the block that contains `byteOffset` now, whoever still holds it. */
  free(byteOffset: number): void;
}

interface Registry {
  homes: WeakMap<ArrayBufferLike, StorageHome>;
  /** How many buffers were ever registered: while 0, lookups skip the map (plain tensors pay nothing). */
  count: number;
}

// On globalThis under a registered symbol, so two copies of this package in one install agree.
const KEY = Symbol.for('@scratchnet/tensor.storageHomes');
type Slot = { [KEY]?: Registry };

function registry(): Registry {
  const slot = globalThis as Slot;
  return (slot[KEY] ??= { homes: new WeakMap(), count: 0 });
}

/**
 * Declares that typed arrays over `buffer` belong to `home`. A home registers its buffer again
 * each time the memory grows (a grown memory has a new buffer).
 */
export function registerStorageHome(buffer: ArrayBufferLike, home: StorageHome): void {
  const r = registry();
  r.homes.set(buffer, home);
  r.count++;
}

/** The home of the buffer under `array`, if one was registered. */
export function storageHomeOf(array: TypedArray): StorageHome | undefined {
  const r = (globalThis as Slot)[KEY];
  if (r === undefined || r.count === 0) return undefined;
  return r.homes.get(array.buffer);
}
