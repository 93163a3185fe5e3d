/**
 * Whether `buffer` has been detached: transferred to a worker (`postMessage(x, [buffer])`,
 * `structuredClone(x, { transfer })`) or by `buffer.transfer()`. A detached buffer reads as
 * zero bytes long and throws a TypeError on most uses, so callers check it to say what happened.
 */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer) return false;
  const flag = (buffer as { detached?: unknown }).detached;
  if (typeof flag === 'boolean') return flag;
  // Before ES2024's `detached` getter (Node 20): constructing a view is the only test there is.
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}
