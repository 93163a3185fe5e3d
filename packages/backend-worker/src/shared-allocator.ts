import { BackendError } from '@scratchnet/backend';
import {
  bytesPerElement,
  formatShape,
  isCreatedArray,
  typedArrayConstructor,
  type Allocator,
  type DataTypeMap,
  type DType,
  type Tensor,
  type TypedArray,
} from '@scratchnet/tensor';
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
 * Done once per storage: later ops find it shared. Call it yourself on a tensor built with
 * `new Tensor(array)` to hand it to the worker backend knowingly: the tensor moves, `array` stays
 * behind and no longer sees the tensor's writes.
 */
export function moveToShared(t: Tensor): void {
  if (t.storage.shared) return;
  t.storage.replace(sharedAllocator.allocate(t.dtype, t.storage.length) as never);
}

/**
 * The elements the pool threads compute on for `t`. A tensor already in shared memory is used in
 * place. One in plain memory that a creation function allocated (`tensor`, `zeros`, an op's
 * result made before this backend was installed) is moved there once — only views of it could
 * notice. One built on the caller's own array (`new Tensor(array)`) is refused: the cpu backend
 * reads and writes that very array, and moving the tensor would leave it behind, unchanged by
 * every later op — results the caller would never see.
 */
export function sharedDataOf(t: Tensor): TypedArray {
  if (!t.storage.shared) {
    if (!isCreatedArray(t.storage.data)) {
      throw new BackendError(
        `worker backend: a ${t.dtype} tensor of shape ${formatShape(t.shape)} is built on an array passed to new Tensor(), in plain memory. ` +
          'The worker threads compute only in shared memory, and moving the tensor there would leave that array behind: ' +
          'the cpu backend reads and writes it, this one would not. Build the tensor over a SharedArrayBuffer ' +
          '(new Float32Array(new SharedArrayBuffer(bytes))), copy it with tensor(array), or call moveToShared(tensor) to move it knowingly.',
      );
    }
    moveToShared(t);
  }
  return t.data;
}
