import type { TypedArray } from './dtype.js';

/**
 * The arrays this package's creation functions allocated, as opposed to arrays a caller handed
 * to `new Tensor(array)` and may still hold. A backend that must move a tensor into other memory
 * (the worker backend needs a `SharedArrayBuffer`) may move the first kind freely; moving the
 * second would leave the caller's array behind, silently stale.
 *
 * A WeakSet under a registered symbol on globalThis, so two copies of this package agree (as
 * they do on the allocator) and nothing is kept alive by being listed.
 */
const KEY = Symbol.for('@scratchnet/tensor.createdArrays');
type Slot = { [KEY]?: WeakSet<TypedArray> };

function created(): WeakSet<TypedArray> {
  const slot = globalThis as Slot;
  return (slot[KEY] ??= new WeakSet());
}

export function markCreated(data: TypedArray): void {
  created().add(data);
}

/**
 * Whether `data` was allocated by a creation function of this package (`tensor`, `zeros`,
 * `full`, `arange`, `rand`, …, and the ops that create their results through them), rather than
 * adopted from the caller through `new Tensor(array)`.
 */
export function isCreatedArray(data: TypedArray): boolean {
  return created().has(data);
}
