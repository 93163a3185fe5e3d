import type { TypedArray } from '@scratchnet/tensor';

/**
 * Whether two typed arrays hold the same bytes: what "bitwise identical" means, so NaN payloads
 * and the sign of zero count. For backends that promise another backend's exact results.
 */
export function sameBits(a: TypedArray, b: TypedArray): boolean {
  if (a.constructor !== b.constructor || a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Index of the first element whose bytes differ; -1 if none (the shorter length if only the lengths differ). */
export function firstDifference(a: TypedArray, b: TypedArray): number {
  const n = Math.min(a.length, b.length);
  const x = new DataView(a.buffer, a.byteOffset, a.byteLength);
  const y = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) if (x.getUint8(i * width + j) !== y.getUint8(i * width + j)) return i;
  }
  return a.length === b.length ? -1 : n;
}
