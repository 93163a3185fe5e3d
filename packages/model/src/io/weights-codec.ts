import type { TypedArray } from '@scratchnet/tensor';

/**
 * Tensors to and from the weights file's bytes, always little-endian. JS typed arrays use the
 * host's byte order, so on a little-endian host (every mainstream one) bytes are copied as they
 * are; on a big-endian host every element goes through a DataView with the order made explicit.
 */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes `data` little-endian into `target` at `byteOffset`. */
export function encodeInto(target: Uint8Array, byteOffset: number, data: TypedArray, littleEndianHost = HOST_IS_LITTLE_ENDIAN): void {
  if (littleEndianHost) {
    target.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), byteOffset);
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset + byteOffset, data.byteLength);
  if (data instanceof Float32Array) for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i]!, true);
  else if (data instanceof Float64Array) for (let i = 0; i < data.length; i++) view.setFloat64(8 * i, data[i]!, true);
  else for (let i = 0; i < data.length; i++) view.setInt32(4 * i, data[i]!, true);
}

/** Fills `target` from the little-endian bytes of `source` starting at `byteOffset`. */
export function decodeInto(source: Uint8Array, byteOffset: number, target: TypedArray, littleEndianHost = HOST_IS_LITTLE_ENDIAN): void {
  if (littleEndianHost) {
    new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(source.subarray(byteOffset, byteOffset + target.byteLength));
    return;
  }
  const view = new DataView(source.buffer, source.byteOffset + byteOffset, target.byteLength);
  if (target instanceof Float32Array) for (let i = 0; i < target.length; i++) target[i] = view.getFloat32(4 * i, true);
  else if (target instanceof Float64Array) for (let i = 0; i < target.length; i++) target[i] = view.getFloat64(8 * i, true);
  else for (let i = 0; i < target.length; i++) target[i] = view.getInt32(4 * i, true);
}
