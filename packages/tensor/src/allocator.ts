import { typedArrayConstructor, type DataTypeMap, type DType } from './dtype.js';

/**
 * Where tensor storage comes from. The default allocates plain typed arrays; a backend that
 * shares memory with other threads installs one that returns views of `SharedArrayBuffer`s.
 */
export interface Allocator {
  allocate<D extends DType>(dtype: D, length: number): DataTypeMap[D];
}

/** The default allocator: zero-filled plain typed arrays. */
export const plainAllocator: Allocator = {
  allocate<D extends DType>(dtype: D, length: number): DataTypeMap[D] {
    return new (typedArrayConstructor(dtype))(length) as DataTypeMap[D];
  },
};

// Kept on globalThis under a registered symbol so that two copies of this package in one
// install (a duplicated dependency) still agree on the allocator.
const KEY = Symbol.for('@scratchnet/tensor.allocator');
type Slot = { [KEY]?: Allocator };

/** The allocator new tensors get their storage from (`plainAllocator` unless one was set). */
export function getAllocator(): Allocator {
  return (globalThis as Slot)[KEY] ?? plainAllocator;
}

/** Installs `allocator` for every later tensor creation; `null` restores plain memory. */
export function setAllocator(allocator: Allocator | null): void {
  (globalThis as Slot)[KEY] = allocator ?? plainAllocator;
}

/** Zero-filled storage of `length` elements from the current allocator. */
export function allocate<D extends DType>(dtype: D, length: number): DataTypeMap[D] {
  return getAllocator().allocate(dtype, length);
}
