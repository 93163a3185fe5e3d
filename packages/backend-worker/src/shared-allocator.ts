import { bytesPerElement, typedArrayConstructor, type Allocator, type DataTypeMap, type DType, type Tensor } from '@scratchnet/tensor';
import { chargeToCollector } from './gc-pressure.js';

/**
 * Tensor storage in `SharedArrayBuffer`s, which every pool thread reads and writes in place. Each
 * allocation is charged to the garbage collector (see gc-pressure.ts), so dropped tensors are
 * collected as promptly as plain ones.
 */
export const sharedAllocator: Allocator = {
  allocate<D extends DType>(dtype: D, length: number): DataTypeMap[D] {
    const Ctor = typedArrayConstructor(dtype) as unknown as new (buffer: SharedArrayBuffer) => DataTypeMap[D];
    const bytes = length * bytesPerElement(dtype);
    const data = new Ctor(new SharedArrayBuffer(bytes));
    chargeToCollector(bytes);
    return data;
  },
};

/**
 * Moves `t`'s storage (and so every view of it) into shared memory, unless it is there already.
 * Done once per storage: later ops find it shared.
 */
export function moveToShared(t: Tensor): void {
  if (t.storage.shared) return;
  t.storage.replace(sharedAllocator.allocate(t.dtype, t.storage.length) as never);
}
